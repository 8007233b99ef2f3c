"""Add the lab material when asked, then print the next steps.

The ``lab`` answer picks what the project folder holds at the end:

- ``none``: the layered project; the ``_lab`` folder is deleted.
- ``solution``: the layered project plus ``_lab/common`` (the lab guide, the
  instructor's notes, ``manage.py lab_check``).
- ``starter``: ``_lab/common``, then the ``_lab/starter`` overlay (the
  "before" code: logic in fat views) copied over the project, then every path
  listed in ``_lab/starter/REMOVE.txt`` deleted (the layers the students
  write and their tests).

The ``api`` answer (``drf`` or ``none``; the lab variants always get ``none``,
see ``__api`` in cookiecutter.json) keeps or deletes the REST API's modules,
found by name: ``api.py``, ``serializers.py`` and ``urls_api.py`` (with their
topic suffixes), their tests (``test_api*.py``), the ``addapp`` skeleton's
``.py-tpl`` versions, ``templates/api/``, and the account page where people
create their API tokens (``API_PAGE_FILES``). The few shared files that
mention the API (settings, URLs, dependencies, docs) hold Jinja conditions
on the same answer.

``_lab`` is copied without rendering, so nothing in it depends on the
answers; what the answers change elsewhere (the starter's README) is written
as Jinja conditions in the files themselves. No network and no dependency
resolution here: creating the project must stay fast and work offline.
Installing is the first of the printed steps.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

# Rendered by Jinja before the hook runs; see pre_gen_project.py for why no
# answer can break out of this string.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")


def project_path() -> str:
    """The project folder as the user should type it after ``cd``."""
    here = Path.cwd()  # hooks run inside the new project folder
    shell_dir = os.environ.get("PWD")
    if shell_dir:
        try:
            relative = os.path.relpath(here, shell_dir)
        except ValueError:  # another drive on Windows
            relative = ""
        if relative and not relative.startswith(".."):
            return relative
    return str(here)


LAB_DIR = "_lab"
REMOVE_MANIFEST = "REMOVE.txt"
LAB_VARIANTS = ("none", "starter", "solution")


def copy_tree(source: Path, target: Path) -> None:
    """Copy every file under ``source`` to the same place under ``target``."""
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.name != REMOVE_MANIFEST:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def remove_listed(project: Path, manifest: Path) -> None:
    """Delete the files ``manifest`` lists (one relative path a line)."""
    for raw in manifest.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        target = (project / line).resolve()
        if project.resolve() not in target.parents:
            raise SystemExit(f"ERROR: {manifest.name} names a path outside: {line}")
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


API_MODULE_STEMS = ("api", "serializers", "urls_api")
API_TEST_PREFIX = "test_api"
API_TEMPLATES = Path("templates") / "api"
# The personal access tokens page: HTML, but only of use with the API.
API_PAGE_FILES = (
    "users/views_tokens.py",
    "users/urls_tokens.py",
    "users/selectors_tokens.py",
    "users/services_tokens.py",
    "users/tests/test_tokens.py",
    "templates/users/tokens.html",
)


def is_api_module(path: Path) -> bool:
    """A module of the REST API, or of its tests, by its name alone."""
    name = path.name
    for suffix in (".py", ".py-tpl"):
        if name.endswith(suffix):
            stem = name.removesuffix(suffix)
            return stem.startswith(API_TEST_PREFIX) or any(
                stem == base or stem.startswith(base + "_") for base in API_MODULE_STEMS
            )
    return False


def remove_api(project: Path) -> None:
    """Delete the REST API's modules and tests (``api=none``)."""
    for path in sorted(project.rglob("*")):
        inside_lab = path.relative_to(project).parts[:1] == (LAB_DIR,)
        if path.is_file() and not inside_lab and is_api_module(path):
            path.unlink()
    shutil.rmtree(project / API_TEMPLATES, ignore_errors=True)
    for rel in API_PAGE_FILES:
        (project / rel).unlink(missing_ok=True)


def apply_lab(project: Path, lab: str) -> None:
    lab_dir = project / LAB_DIR
    if lab not in LAB_VARIANTS:
        raise SystemExit(f"ERROR: lab {lab!r} is not one of {', '.join(LAB_VARIANTS)}")
    if lab != "none":
        copy_tree(lab_dir / "common", project)
    if lab == "starter":
        copy_tree(lab_dir / "starter", project)
        remove_listed(project, lab_dir / "starter" / REMOVE_MANIFEST)
    shutil.rmtree(lab_dir, ignore_errors=True)


def main() -> int:
    name = ANSWERS["project_name"]
    lab = str(ANSWERS.get("lab", "none"))
    if ANSWERS.get("__api", "none") != "drf":
        remove_api(Path.cwd())
    apply_lab(Path.cwd(), lab)
    path = project_path()
    lines = [
        "",
        f"{name} is ready in {path}/",
        "",
        "Next steps:",
        f"  cd {shlex.quote(path)}",
        "  python3 -m venv .venv",
        "  source .venv/bin/activate",
        "  make install                  # the project and its dev tools",
        "  python manage.py migrate      # SQLite unless DATABASE_URL is set",
        "  python manage.py seed_demo    # demo users; prints their passwords",
        "  make run                      # http://127.0.0.1:8000/",
        "  make check                    # everything CI runs",
        "",
        "See README.md and docs/architecture.md in the project.",
        "",
    ]
    if lab != "none":
        lines[-1:] = [
            f"Lab material ({lab}): docs/LAB.md for students,",
            "docs/INSTRUCTOR.md for you; `python manage.py lab_check` shows",
            "which steps are done.",
            "",
        ]
    sys.stdout.write("\n".join(lines))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
