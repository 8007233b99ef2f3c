"""Print the next steps for the freshly created project.

No network and no dependency resolution here: creating the project must stay
fast and work offline. Installing is the first of the printed steps.
"""

from __future__ import annotations

import json
import os
import shlex
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


def main() -> int:
    name = ANSWERS["project_name"]
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
    sys.stdout.write("\n".join(lines))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
