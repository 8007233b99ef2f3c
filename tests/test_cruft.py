"""Baked projects follow the template with cruft (the baked docs/updating.md).

A git repository holding the template is baked with ``cruft create`` at its
first commit; a second commit changes a line of the baked Makefile. An
untouched project takes the change with ``cruft update``; a project whose
owners changed the same line keeps theirs, and the template's change is left
in ``Makefile.rej`` for them to resolve. Everything stays on this machine: the
template's repository is a local path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEFAULT_SLUG, template_path

# One worker bakes the template once for the three tests.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cruft")]

MAKEFILE = "{{cookiecutter.project_slug}}/Makefile"
TIMEOUT = 180


def _cruft() -> str:
    cruft = shutil.which("cruft", path=str(Path(sys.executable).parent))
    cruft = cruft or shutil.which("cruft")
    assert cruft, "cruft is missing: run `make test` to install it"
    return cruft


def _git_env() -> dict[str, str]:
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Template Tests",
        "GIT_AUTHOR_EMAIL": "tests@example.com",
        "GIT_COMMITTER_NAME": "Template Tests",
        "GIT_COMMITTER_EMAIL": "tests@example.com",
    }


def _run(cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=_git_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _ok(cwd: Path, *command: str) -> str:
    proc = _run(cwd, *command)
    assert proc.returncode == 0, f"{command}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _commit_all(repo: Path, message: str) -> str:
    _ok(repo, "git", "add", "--all")
    _ok(repo, "git", "commit", "--quiet", "--no-verify", "-m", message)
    return _ok(repo, "git", "rev-parse", "HEAD").strip()


class Template:
    """The template's repository, the bake at its first commit, both commits."""

    def __init__(self, root: Path) -> None:
        self.repo = root / "template"
        self.bakes = root / "bakes"
        self.first_commit = self.second_commit = ""
        self.old_line = self.new_line = ""

    def first_line(self) -> str:
        return (self.repo / MAKEFILE).read_text("utf-8").splitlines()[0]

    def change_first_line(self, line: str) -> None:
        makefile = self.repo / MAKEFILE
        lines = makefile.read_text("utf-8").splitlines(keepends=True)
        makefile.write_text(line + "\n" + "".join(lines[1:]), "utf-8")


@pytest.fixture(scope="module")
def template(request, tmp_path_factory) -> Template:
    tpl = Template(tmp_path_factory.mktemp("cruft"))
    shutil.copytree(template_path(request.config), tpl.repo)
    _ok(tpl.repo, "git", "init", "--quiet")
    tpl.first_commit = _commit_all(tpl.repo, "the template")
    tpl.old_line = tpl.first_line()

    _ok(
        tpl.repo.parent,
        _cruft(),
        "create",
        str(tpl.repo),
        "--no-input",
        "--output-dir",
        str(tpl.bakes),
    )

    tpl.new_line = "# Every check CI runs is `make check`: run it before each push."
    assert tpl.new_line != tpl.old_line
    tpl.change_first_line(tpl.new_line)
    tpl.second_commit = _commit_all(tpl.repo, "the template, improved")
    return tpl


def _project(template: Template, destination: Path) -> Path:
    project = destination / DEFAULT_SLUG
    shutil.copytree(template.bakes / DEFAULT_SLUG, project)
    return project


def _recorded_commit(project: Path) -> str:
    return json.loads((project / ".cruft.json").read_text("utf-8"))["commit"]


def _makefile_first_line(project: Path) -> str:
    return (project / "Makefile").read_text("utf-8").splitlines()[0]


def test_the_bake_records_its_template_and_commit(template):
    project = template.bakes / DEFAULT_SLUG
    state = json.loads((project / ".cruft.json").read_text("utf-8"))

    assert state["template"] == str(template.repo)
    assert state["commit"] == template.first_commit
    assert state["context"]["cookiecutter"]["project_slug"] == DEFAULT_SLUG


def test_an_untouched_project_takes_the_update_cleanly(template, tmp_path):
    project = _project(template, tmp_path)
    _ok(project, "git", "init", "--quiet")
    _commit_all(project, "baked")

    assert _run(project, _cruft(), "check").returncode != 0
    _ok(project, _cruft(), "update", "-y")

    assert _makefile_first_line(project) == template.new_line
    assert _recorded_commit(project) == template.second_commit
    assert not list(project.rglob("*.rej"))
    assert _run(project, _cruft(), "check").returncode == 0


def test_a_conflicting_change_is_left_in_a_rej_file(template, tmp_path):
    project = _project(template, tmp_path)
    ours = "# Our checks: `make check` before every push, `make deploy` after."
    makefile = project / "Makefile"
    makefile.write_text(
        makefile.read_text("utf-8").replace(template.old_line, ours, 1), "utf-8"
    )
    # The owners changed the Makefile before their first commit: the lines
    # the template baked are not in their history to merge with.
    _ok(project, "git", "init", "--quiet")
    _commit_all(project, "our project")

    proc = _run(project, _cruft(), "update", "-y")

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _makefile_first_line(project) == ours
    rejected = project / "Makefile.rej"
    assert rejected.is_file(), sorted(p.name for p in project.iterdir())
    assert f"+{template.new_line}" in rejected.read_text("utf-8")
    assert [p.name for p in project.rglob("*.rej")] == ["Makefile.rej"]
    assert _recorded_commit(project) == template.second_commit
