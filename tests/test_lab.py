"""The ``lab`` answer: starter and solution bakes, and their ``lab_check``.

``none`` bakes no lab material; ``solution`` is the layered project plus the
lab guide and ``manage.py lab_check``; ``starter`` is the "before" code (logic
in fat views) whose behaviour tests pass and whose ``lab_check`` reports every
step not done. See docs/lab.md.
"""

from __future__ import annotations

import json
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import baked_env
from conftest import (
    DEFAULT_SLUG,
    WITHOUT_BROWSER_TESTS,
    bake_default,
    require_interpreter,
)
from template_source import TEMPLATE_DIR

PROJECT_SOURCE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
REMOVE_MANIFEST = PROJECT_SOURCE / "_lab" / "starter" / "REMOVE.txt"
EXPECTED_FILES = Path(__file__).with_name("expected_files.txt")

# What every lab variant adds to the layered project.
LAB_FILES = {
    "docs/LAB.md",
    "docs/INSTRUCTOR.md",
    "devtools/lab/__init__.py",
    "devtools/lab/exercises.py",
    "devtools/lab/findings.py",
    "devtools/lab/grader.py",
    "devtools/lab/project_steps.py",
    "devtools/lab/reading.py",
    "devtools/lab/refactor_steps.py",
    "devtools/lab/step.py",
    "devtools/lab/step_findings.py",
    "devtools/lab/testrun.py",
    "devtools/management/commands/lab_check.py",
    "devtools/tests/test_lab_check.py",
}
# GitHub Classroom's autograding, in the starter only: one graded test a step.
CLASSROOM_WORKFLOW = ".github/workflows/classroom.yml"
CLASSROOM_FILES = {CLASSROOM_WORKFLOW, ".github/zizmor.yml"}
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
STEP_IDS = [
    f"{app}-{layer}"
    for app in ("orgs", "articles", "tasks")
    for layer in ("selectors", "services", "permissions")
] + [
    "views-thin",
    "layer-tests",
    "checks",
    *(f"exercise-{n}" for n in range(1, 6)),
]
COMMAND_TIMEOUT = 900


def removed_paths() -> list[str]:
    return [
        line.strip()
        for line in REMOVE_MANIFEST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def files_of(project: Path) -> set[str]:
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file()
    }


def expected_default_files() -> set[str]:
    return {
        line.strip()
        for line in EXPECTED_FILES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


API_MODULE_STEMS = ("api", "serializers", "urls_api")
# The personal access tokens page (HTML, of use only with the API).
API_PAGE_FILES = {"templates/users/tokens.html", "users/tests/test_tokens.py"} | {
    f"users/{layer}_tokens.py" for layer in ("views", "urls", "selectors", "services")
}


def is_api_file(path: str) -> bool:
    """A file of the REST API, which the lab variants bake without."""
    if path.startswith("templates/api/") or path in API_PAGE_FILES:
        return True
    name = path.rsplit("/", 1)[-1]
    stem = name.removesuffix("-tpl").removesuffix(".py")
    if stem == name.removesuffix("-tpl"):  # not a Python module
        return False
    return stem.startswith("test_api") or any(
        stem == base or stem.startswith(base + "_") for base in API_MODULE_STEMS
    )


def expected_lab_base_files() -> set[str]:
    """The default bake's files but the REST API's."""
    return {path for path in expected_default_files() if not is_api_file(path)}


def assert_report_schema(report: object) -> None:
    """``{"steps": [{"id", "title", "done", "findings": [...]}], "done", "total"}``."""
    assert isinstance(report, dict)
    assert set(report) == {"steps", "done", "total"}
    steps = report["steps"]
    assert isinstance(steps, list)
    for step in steps:
        assert set(step) == {"id", "title", "done", "findings"}
        assert isinstance(step["id"], str)
        assert isinstance(step["title"], str)
        assert isinstance(step["done"], bool)
        assert step["done"] == (not step["findings"])
        for finding in step["findings"]:
            assert set(finding) == {"path", "line", "hint"}
            assert isinstance(finding["path"], str)
            assert isinstance(finding["line"], int)
            assert isinstance(finding["hint"], str)
            assert finding["hint"]
            assert "\n" not in finding["hint"]
    assert report["total"] == len(steps)
    assert report["done"] == sum(step["done"] for step in steps)
    assert [step["id"] for step in steps] == STEP_IDS


# Baking: what lands on disk (fast) --------------------------------------------


@pytest.fixture(scope="module")
def starter(cookies_session) -> Path:
    return bake_default(cookies_session, lab="starter")


@pytest.fixture(scope="module")
def solution(cookies_session) -> Path:
    return bake_default(cookies_session, lab="solution")


def test_none_bakes_no_lab_material(baked_default):
    files = files_of(baked_default)

    assert not (baked_default / "_lab").exists()
    assert not files & LAB_FILES
    assert files == expected_default_files()


def test_solution_is_the_default_project_plus_the_lab_material(solution):
    assert solution.name == DEFAULT_SLUG
    assert files_of(solution) == expected_lab_base_files() | LAB_FILES


def test_starter_removes_the_layers_and_keeps_the_rest(starter):
    files = files_of(starter)

    assert not (starter / "_lab").exists()
    assert files >= LAB_FILES | CLASSROOM_FILES
    assert not files & set(removed_paths())
    assert files - LAB_FILES - CLASSROOM_FILES <= expected_lab_base_files()
    for path in (
        "tasks/views.py",
        "articles/views.py",
        "orgs/views.py",
        "devtools/management/commands/seed_demo.py",
    ):
        assert path in files


LAYERS_THE_STUDENTS_WRITE = ("selectors", "services", "permissions")


def test_starter_ships_none_of_the_layers_the_students_write(starter):
    """A layer module added to the project must be added to REMOVE.txt too."""
    shipped = [
        path
        for app in ("orgs", "articles", "tasks")
        for path in sorted((starter / app).glob("*.py"))
        if path.stem.split("_")[0] in LAYERS_THE_STUDENTS_WRITE
    ]
    assert not shipped, f"the starter ships layer modules: {shipped}"
    assert not (starter / "core" / "exceptions.py").exists()


def test_the_removal_manifest_names_files_of_the_layered_project():
    stale = [path for path in removed_paths() if not (PROJECT_SOURCE / path).is_file()]
    assert not stale, f"REMOVE.txt names files the project no longer has: {stale}"


def test_starter_and_solution_share_models_and_migrations(starter, solution):
    for path in sorted(files_of(solution)):
        if "/migrations/" in path or path.endswith("/models.py"):
            assert (starter / path).read_bytes() == (solution / path).read_bytes(), path


def test_starter_python_compiles_and_never_names_the_generator(starter, tmp_path):
    for path in sorted(starter.rglob("*")):
        if not path.is_file():
            continue
        assert b"cookiecutter" not in path.read_bytes().lower(), path
        if path.suffix == ".py":
            py_compile.compile(str(path), cfile=str(tmp_path / "out.pyc"), doraise=True)


def test_starter_readme_leaves_the_architecture_section_to_the_students(starter):
    readme = (starter / "README.md").read_text(encoding="utf-8")

    assert "## Architecture" not in readme
    assert "docs/LAB.md" in readme


def _classroom_workflow(project: Path) -> dict:
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((project / CLASSROOM_WORKFLOW).read_text("utf-8"))


def _graders(workflow: dict) -> list[dict]:
    steps = workflow["jobs"]["grade"]["steps"]
    return [step for step in steps if step.get("uses") == COMMAND_GRADER]


def test_starter_grades_each_lab_step_in_the_classroom(starter):
    workflow = _classroom_workflow(starter)
    steps = workflow["jobs"]["grade"]["steps"]
    graders = _graders(workflow)

    assert [grader["id"] for grader in graders] == STEP_IDS
    for grader in graders:
        assert grader["with"]["test-name"] == grader["id"]
        assert grader["with"]["command"] == (
            f"python manage.py lab_check --report lab_check.json --step {grader['id']}"
        )
        assert isinstance(grader["with"]["max-score"], int)
    assert sum(grader["with"]["max-score"] for grader in graders) == 100
    reporter = steps[-1]
    assert reporter["uses"] == REPORTER
    assert reporter["with"]["runners"] == ",".join(STEP_IDS)
    assert reporter["env"] == {
        f"{step.upper()}_RESULTS": f"${{{{ steps.{step}.outputs.result }}}}"
        for step in STEP_IDS
    }
    # Every other action is pinned by commit SHA; the checkout keeps no token.
    pinned = [step["uses"] for step in steps if "uses" in step][:2]
    assert all(len(use.split("@")[1]) == 40 for use in pinned), pinned
    assert steps[0]["with"]["persist-credentials"] is False


def test_the_classroom_workflow_passes_actionlint(starter):
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    actionlint = actionlint or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: run `make test` to install it"

    proc = subprocess.run(
        [actionlint, "-no-color", CLASSROOM_WORKFLOW],
        capture_output=True,
        text=True,
        cwd=starter,
        timeout=120,
        check=False,
    )

    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_lab_bakes_print_where_the_lab_guide_is(cookiecutter_cli):
    proc = cookiecutter_cli("lab=starter")

    assert proc.returncode == 0, proc.stderr
    assert "docs/LAB.md" in proc.stdout


# Running the baked projects (slow) ------------------------------------------


def _run(project: Path, env: baked_env.BakedEnv, *command: str):
    return env.run(project, *command, timeout=COMMAND_TIMEOUT, **WITHOUT_BROWSER_TESTS)


def _tail(text: str, lines: int = 60) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _capture(project: Path, env: baked_env.BakedEnv, *command: str):
    return subprocess.run(
        command,
        cwd=project,
        env=env.env(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def _lab_check(project: Path, env: baked_env.BakedEnv):
    proc = _capture(project, env, str(env.python), "manage.py", "lab_check", "--json")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"lab_check printed no JSON:\n{proc.stdout}\n{proc.stderr}")
    assert_report_schema(report)
    return proc.returncode, report


def _grade_in_classroom(
    project: Path, env: baked_env.BakedEnv, workflow: dict
) -> tuple[dict, dict[str, int]]:
    """Run the classroom workflow's commands here: the lab's check, then each
    graded test, which scores its max-score when its command exits 0."""
    (check,) = [
        step
        for step in workflow["jobs"]["grade"]["steps"]
        if step.get("name") == "Check the lab"
    ]
    proc = _capture(project, env, "bash", "-c", check["run"])
    assert proc.returncode == 0, proc.stderr
    report = json.loads((project / "lab_check.json").read_text("utf-8"))
    assert_report_schema(report)
    points = {}
    for grader in _graders(workflow):
        proc = _capture(project, env, "bash", "-c", grader["with"]["command"])
        # 1: the step is not done; anything else is an error.
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        points[grader["id"]] = grader["with"]["max-score"] * (proc.returncode == 0)
    # The bake is shared with the tests of its file list.
    (project / "lab_check.json").unlink()
    return report, points


def _env(project: Path) -> baked_env.BakedEnv:
    return baked_env.env_for_project(project, require_interpreter("3.11"))


def _done(report: dict) -> dict[str, bool]:
    return {step["id"]: step["done"] for step in report["steps"]}


@pytest.mark.slow
@pytest.mark.xdist_group("py3.11")
def test_starter_behaviour_tests_pass_and_no_step_is_done(starter):
    env = _env(starter)

    proc = _run(starter, env, "make", "test")
    assert proc.returncode == 0, _tail(proc.stdout)

    report, points = _grade_in_classroom(starter, env, _classroom_workflow(starter))
    assert report["done"] == 0
    assert _done(report) == dict.fromkeys(STEP_IDS, False)
    assert points == dict.fromkeys(STEP_IDS, 0)
    hints = [f for step in report["steps"] for f in step["findings"]]
    assert any(
        f["path"] == "tasks/views.py" and "Task.objects" in f["hint"] for f in hints
    )


@pytest.mark.slow
@pytest.mark.xdist_group("py3.11")
def test_solution_passes_make_check_and_every_step(solution):
    env = _env(solution)

    proc = _run(solution, env, "make", "check")
    assert proc.returncode == 0, _tail(proc.stdout)

    # The starter's classroom workflow, run on the solution: full points.
    workflow = _classroom_workflow(PROJECT_SOURCE / "_lab" / "starter")
    report, points = _grade_in_classroom(solution, env, workflow)
    assert report["done"] == report["total"] == len(STEP_IDS), report
    assert points == {g["id"]: g["with"]["max-score"] for g in _graders(workflow)}
    assert sum(points.values()) == 100


# The refactoring of one step: tasks/permissions.py from the solution, and the
# starter's task views calling it instead of reading roles and owners.
TASKS_VIEW_PERMISSIONS = [
    (
        "from orgs.models import Membership\n",
        "from orgs.models import Membership\nfrom tasks import permissions\n",
    ),
    (
        "    is_admin = membership.role == Membership.Role.ADMIN\n    return render(",
        "    return render(",
    ),
    (
        '"can_create": True,',
        '"can_create": permissions.can_create_task(membership=membership),',
    ),
    (
        '"can_export": is_admin,',
        '"can_export": permissions.can_export_tasks(membership=membership),',
    ),
    (
        "    is_admin = membership.role == Membership.Role.ADMIN\n    events = list(",
        "    events = list(",
    ),
    (
        '"can_edit": is_admin\n'
        "            or request.user.pk in (task.created_by_id, task.assigned_to_id),",
        '"can_edit": permissions.can_edit_task(\n'
        "                membership=membership, user=request.user, task=task\n"
        "            ),",
    ),
    (
        '"can_delete": is_admin,',
        '"can_delete": permissions.can_delete_task(membership=membership),',
    ),
    (
        "if membership.role != Membership.Role.ADMIN and request.user.pk not in (\n"
        "        task.created_by_id,\n"
        "        task.assigned_to_id,\n"
        "    ):",
        "if not permissions.can_edit_task(\n"
        "        membership=membership, user=request.user, task=task\n"
        "    ):",
    ),
    (
        "    if membership.role != Membership.Role.ADMIN:\n"
        '        raise PermissionDenied("Only admins of this organization can delete',
        "    if not permissions.can_delete_task(membership=membership):\n"
        '        raise PermissionDenied("Only admins of this organization can delete',
    ),
    (
        "    if membership.role != Membership.Role.ADMIN:\n"
        '        raise PermissionDenied("Only admins of this organization can export',
        "    if not permissions.can_export_tasks(membership=membership):\n"
        '        raise PermissionDenied("Only admins of this organization can export',
    ),
]


def refactor_tasks_permissions(starter: Path, solution: Path) -> None:
    for path in ("tasks/permissions.py", "tasks/tests/test_permissions.py"):
        shutil.copyfile(solution / path, starter / path)
    views = starter / "tasks" / "views.py"
    text = views.read_text(encoding="utf-8")
    for old, new in TASKS_VIEW_PERMISSIONS:
        assert text.count(old) == 1, f"the starter's tasks/views.py changed: {old!r}"
        text = text.replace(old, new)
    views.write_text(text, encoding="utf-8")


@pytest.mark.slow
@pytest.mark.xdist_group("py3.11")
def test_one_refactoring_shows_as_one_step_done(starter, solution, tmp_path):
    project = tmp_path / DEFAULT_SLUG
    shutil.copytree(starter, project)
    refactor_tasks_permissions(project, solution)

    returncode, report = _lab_check(project, _env(project))

    assert returncode == 1
    done = _done(report)
    assert done.pop("tasks-permissions") is True, report["steps"][8]
    assert not any(done.values()), [step for step, ok in done.items() if ok]
