"""The lab checker judges code by its structure, and reports in a stable shape.

These tests build tiny projects in a temporary folder and never run pytest
themselves (``run`` is replaced), so they stay fast and cannot recurse.
"""

import json
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from devtools.lab import step_findings
from devtools.lab.exercises import exercise_5
from devtools.lab.findings import Finding, StepResult, report_dict
from devtools.lab.grader import STEPS
from devtools.lab.refactor_steps import selectors_step
from devtools.lab.step_findings import inline_rules, missing_module
from devtools.lab.testrun import FileTests, SuiteRun, parse_junit

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tasks.tests.test_permissions" name="test_ok"
  file="tasks/tests/test_permissions.py" line="3" />
<testcase classname="tasks.tests.test_permissions" name="test_bad"
  file="tasks/tests/test_permissions.py" line="9">
  <failure message="AssertionError: assert False">details</failure>
</testcase>
<testcase classname="tasks.tests.test_selectors" name="test_skip"
  file="tasks/tests/test_selectors.py" line="1"><skipped message="no" /></testcase>
</testsuite></testsuites>
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def app(root: Path, name: str = "tasks", **modules: str) -> Path:
    files = {f"{name}/__init__.py": "", f"{name}/apps.py": ""}
    files.update({f"{name}/{module}.py": text for module, text in modules.items()})
    return write(root, files)


def passing(*paths: str) -> SuiteRun:
    return SuiteRun(files={path: FileTests(passed=1) for path in paths})


def test_junit_results_are_counted_per_file():
    files = parse_junit(JUNIT)

    permissions = files["tasks/tests/test_permissions.py"]
    assert permissions.passed == 1
    assert permissions.failures == [
        Finding(
            "tasks/tests/test_permissions.py",
            10,
            "test_bad fails: AssertionError: assert False",
        )
    ]
    assert files["tasks/tests/test_selectors.py"].skipped == 1


def test_an_empty_selectors_module_does_not_pass(tmp_path):
    root = app(tmp_path, selectors="", views="from tasks import selectors\n")
    step = selectors_step("tasks")

    findings = step.check(root, passing("tasks/tests/test_selectors.py"))

    assert any("no function here queries" in f.hint for f in findings)


def test_selectors_used_by_query_free_views_pass(tmp_path):
    root = app(
        tmp_path,
        selectors="""
            def tasks_for(*, organization):
                return Task.objects.filter(organization=organization)
        """,
        views="""
            from tasks import selectors

            def task_list(request):
                return selectors.tasks_for(organization=None)
        """,
    )
    write(root, {"tasks/tests/test_selectors.py": ""})

    findings = selectors_step("tasks").check(
        root, passing("tasks/tests/test_selectors.py")
    )

    assert findings == []


def test_a_view_query_is_reported_with_its_line(tmp_path):
    root = app(
        tmp_path,
        views="""
            from tasks.models import Task

            def task_list(request):
                return Task.objects.all()
        """,
    )

    findings = selectors_step("tasks").check(root, SuiteRun())

    assert (
        Finding(
            "tasks/selectors.py",
            1,
            missing_module(
                root,
                "tasks",
                "selectors",
                "move the views' queries into functions there",
            )[0].hint,
        )
        in findings
    )
    assert any(f.path == "tasks/views.py" and f.line == 5 for f in findings)


def test_tests_must_exist_and_pass(tmp_path):
    write(tmp_path, {"tasks/tests/test_permissions.py": ""})
    run = SuiteRun(files=parse_junit(JUNIT))

    findings = step_findings.tests_pass(
        tmp_path, run, ["tasks/tests/test_permissions.py", "tasks/tests/test_x*.py"]
    )

    assert [f.path for f in findings] == [
        "tasks/tests/test_permissions.py",
        "tasks/tests/test_x.py",
    ]


def test_inline_role_checks_are_rules_for_permissions(tmp_path):
    root = app(
        tmp_path,
        views="""
            def task_delete(request, membership, task):
                if membership.role != "admin":
                    raise PermissionDenied
                changed = task.assigned_to_id != 3
        """,
    )

    findings = inline_rules(root, "tasks")

    assert [f.line for f in findings] == [3]


@pytest.mark.parametrize(
    ("readme", "done"),
    [
        ("# Project\n", False),
        ("## Architecture\n\nQueries go in selectors.\n", False),
        (
            "## Architecture\n\nQueries: selectors.py. Workflows: services.py. "
            "Permissions: permissions.py.\n\n## Next\n",
            True,
        ),
    ],
)
def test_the_readme_architecture_section(tmp_path, readme, done):
    write(tmp_path, {"README.md": readme})

    assert (exercise_5(tmp_path, SuiteRun()) == []) is done


def test_json_report_schema_and_exit_status(monkeypatch):
    results = [
        StepResult("a", "Step A", ()),
        StepResult("b", "Step B", (Finding("x.py", 2, "do it"),)),
    ]
    monkeypatch.setattr(
        "devtools.management.commands.lab_check.check_lab", lambda root: results
    )
    out = StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("lab_check", "--json", stdout=out)

    assert exit_info.value.code == 1
    assert json.loads(out.getvalue()) == {
        "steps": [
            {"id": "a", "title": "Step A", "done": True, "findings": []},
            {
                "id": "b",
                "title": "Step B",
                "done": False,
                "findings": [{"path": "x.py", "line": 2, "hint": "do it"}],
            },
        ],
        "done": 1,
        "total": 2,
    }


def _saved_report(tmp_path: Path) -> Path:
    report = tmp_path / "lab_check.json"
    results = [
        StepResult("tasks-selectors", "tasks selectors", ()),
        StepResult("checks", "checks", (Finding("tasks/views.py", 7, "lint it"),)),
    ]
    report.write_text(json.dumps(report_dict(results)), encoding="utf-8")
    return report


def test_one_step_is_graded_from_a_saved_report(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "devtools.management.commands.lab_check.check_lab",
        lambda *args, **kwargs: pytest.fail("--report checks nothing again"),
    )
    report = _saved_report(tmp_path)
    out = StringIO()

    call_command(
        "lab_check", "--report", str(report), "--step", "tasks-selectors", stdout=out
    )

    assert "[done] tasks-selectors" in out.getvalue()
    assert "checks" not in out.getvalue()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "lab_check", "--report", str(report), "--step", "checks", stdout=out
        )
    assert exit_info.value.code == 1
    assert "tasks/views.py:7 lint it" in out.getvalue()


@pytest.mark.parametrize(
    ("content", "step"),
    [
        (None, "checks"),
        ("", "checks"),
        ('{"steps": [{"id": 1}]}', "checks"),
        ("{}", "checks"),
        ('{"steps": []}', "exercise-1"),
    ],
)
def test_a_missing_or_broken_report_is_an_error_naming_it(tmp_path, content, step):
    report = tmp_path / "lab_check.json"
    if content is not None:
        report.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=r"lab_check\.json") as error:
        call_command("lab_check", "--report", str(report), "--step", step)

    assert error.value.returncode == 2


def test_one_step_alone_is_checked_alone(monkeypatch):
    seen: list[str] = []

    def check_lab(root, *, steps=STEPS):
        seen.extend(step.id for step in steps)
        return [StepResult(step.id, step.title, ()) for step in steps]

    monkeypatch.setattr("devtools.management.commands.lab_check.check_lab", check_lab)

    call_command("lab_check", "--step", "exercise-4", stdout=StringIO())

    assert seen == ["exercise-4"]


def test_every_step_has_a_unique_id():
    ids = [step.id for step in STEPS]

    assert len(ids) == len(set(ids)) == 17
