"""Rewrite tests/expected_files.txt from a fresh bake of the default project.

Run it after adding, renaming or removing a file of the baked project, then
review the change in tests/expected_files.txt with the rest of the diff:

    .venv/bin/python scripts/update_expected_files.py
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from template_source import clean_copy, quiet_stdout  # noqa: E402

EXPECTED = ROOT / "tests" / "expected_files.txt"
HEADER = (
    "# Every file of the default bake, relative to the project folder, sorted.\n"
    "# Regenerate with: .venv/bin/python scripts/update_expected_files.py\n"
)


def baked_files() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "config.yaml")  # keep replays out of the home folder
        config.write_text(
            f"cookiecutters_dir: {tmp}/cookiecutters\nreplay_dir: {tmp}/replay\n",
            encoding="utf-8",
        )
        template = clean_copy(Path(tmp, "template"))  # what git would commit
        with quiet_stdout():
            project = Path(
                cookiecutter(
                    str(template),
                    no_input=True,
                    output_dir=str(Path(tmp, "out")),
                    config_file=str(config),
                )
            )
        return sorted(
            path.relative_to(project).as_posix()
            for path in project.rglob("*")
            if path.is_file()
        )


def main() -> int:
    old = EXPECTED.read_text(encoding="utf-8") if EXPECTED.exists() else ""
    new = HEADER + "".join(f"{name}\n" for name in baked_files())
    if new == old:
        print(f"{EXPECTED.relative_to(ROOT)} is up to date")
        return 0
    EXPECTED.write_text(new, encoding="utf-8")
    sys.stdout.writelines(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile="before",
            tofile="after",
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
