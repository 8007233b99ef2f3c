"""The template as a fresh clone would have it.

Working on the template leaves caches inside the project folder (ruff's,
mypy's, ``__pycache__``); git ignores them, but cookiecutter would bake them.
Tests, the benchmark and the expected-files script therefore bake from a copy
holding only the files git would commit: tracked files plus untracked ones that
are not ignored. Outside a git work tree the folder is copied as it is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parents[1]
_SKIPPED_TOP_LEVEL = {".git", ".venv", "demo", "tests", "scripts", "docs"}


def _git_files(root: Path) -> list[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    proc = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        return None
    return [name for name in proc.stdout.decode("utf-8").split("\0") if name]


def clean_copy(destination: Path, root: Path = TEMPLATE_DIR) -> Path:
    """Copy the template at ``root`` into ``destination``; return the copy."""
    destination.mkdir(parents=True, exist_ok=True)
    names = _git_files(root)
    if names is None:
        shutil.copytree(
            root,
            destination,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", "demo", "__pycache__", "*_cache"
            ),
        )
        return destination
    for name in names:
        if name.split("/", 1)[0] in _SKIPPED_TOP_LEVEL:
            continue
        source = root / name
        if not source.is_file():  # deleted in the work tree, still in the index
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return destination


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence stdout, also for the hooks cookiecutter runs as subprocesses."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
