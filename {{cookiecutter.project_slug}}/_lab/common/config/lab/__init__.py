"""The lab's progress, judged from the code: which steps are done, and why not.

``python manage.py lab_check`` prints this report (``--json`` for a gradebook).
A step is done when it has no finding. The checks read the code with ``ast``
(never importing it) and reuse the architecture rules of
``config/architecture/``; steps that need tests run them: one pytest run of
the whole suite in a subprocess, whose per-file results each step reads. A
step that needs tests wants at least one test collected in each file it names,
and every test of those files passing.

docs/LAB.md describes the steps for students, docs/INSTRUCTOR.md for
instructors.

The package, by topic: ``findings`` (what a step reports), ``testrun`` (the
pytest run), ``reading`` (``ast`` helpers), ``step_findings`` (findings
several steps share), ``step`` (what a step is), ``refactor_steps`` and
``project_steps`` (the refactoring steps), ``exercises``; the steps in order
(``STEPS``) and ``check_lab`` are here, and every name is importable from
``config.lab`` itself.
"""

from collections.abc import Callable, Sequence
from pathlib import Path

from .exercises import (
    README_TOPICS,
    _url_views,
    exercise_1,
    exercise_2,
    exercise_3,
    exercise_4,
    exercise_5,
)
from .findings import (
    Finding,
    StepResult,
    report_dict,
)
from .project_steps import (
    _last,
    _tool,
    checks,
    layer_tests,
    views_thin,
)
from .reading import (
    WRITE_METHODS,
    calls_into,
    functions,
    has_query,
    imported_from,
    is_atomic,
    layer_files,
    layer_module,
    parse,
    public_functions,
    relative,
    writes,
)
from .refactor_steps import (
    permissions_step,
    selectors_step,
    services_step,
)
from .step import (
    LAB_APPS,
    Check,
    Step,
)
from .step_findings import (
    RULE_FLAGS,
    RULE_OWNERS,
    RULE_ROLE,
    _rule_reads,
    inline_rules,
    missing_module,
    tests_pass,
    view_violations,
    view_writes,
    views_use,
)
from .testrun import (
    FAILURE_HINT_LENGTH,
    TEST_TIMEOUT,
    FileTests,
    SuiteRun,
    _module_path,
    parse_junit,
    run_tests,
)

STEPS: tuple[Step, ...] = (
    *(
        make(app)
        for app in LAB_APPS
        for make in (selectors_step, services_step, permissions_step)
    ),
    Step(
        "views-thin",
        "views are orchestration only: no .objects, no transaction, no mail, "
        "no save()",
        views_thin,
        needs_tests=False,
    ),
    Step(
        "layer-tests",
        "tests for the selectors, services and permissions of orgs, articles "
        "and tasks, all passing",
        layer_tests,
    ),
    Step(
        "checks",
        "ruff, black, the architecture rules and every test pass",
        checks,
    ),
    Step(
        "exercise-1",
        "exercise 1: orgs/selectors.py has is_member() and get_membership(), "
        "used by the views",
        exercise_1,
    ),
    Step(
        "exercise-2",
        "exercise 2: orgs/services_invites.py sends the invite through an "
        "injectable send_func, with tests",
        exercise_2,
    ),
    Step(
        "exercise-3",
        "exercise 3: the task list and the CSV export share one filtering " "selector",
        exercise_3,
        needs_tests=False,
    ),
    Step(
        "exercise-4",
        "exercise 4: core/exceptions.py has DomainError, raised by a service",
        exercise_4,
        needs_tests=False,
    ),
    Step(
        "exercise-5",
        "exercise 5: the README's Architecture section says where queries, "
        "workflows and permissions go",
        exercise_5,
        needs_tests=False,
    ),
)


def check_lab(
    root: Path,
    *,
    steps: Sequence[Step] = STEPS,
    run: Callable[[Path], SuiteRun] = run_tests,
) -> list[StepResult]:
    """Every step's result; the tests run once, and only if a step needs them."""
    tests = run(root) if any(step.needs_tests for step in steps) else SuiteRun()
    results = []
    for step in steps:
        findings = step.check(root, tests)
        unique = sorted(set(findings), key=lambda f: (f.path, f.line, f.hint))
        results.append(StepResult(step.id, step.title, tuple(unique)))
    return results


__all__ = [
    "FAILURE_HINT_LENGTH",
    "LAB_APPS",
    "README_TOPICS",
    "RULE_FLAGS",
    "RULE_OWNERS",
    "RULE_ROLE",
    "STEPS",
    "TEST_TIMEOUT",
    "WRITE_METHODS",
    "Check",
    "FileTests",
    "Finding",
    "Step",
    "StepResult",
    "SuiteRun",
    "_last",
    "_module_path",
    "_rule_reads",
    "_tool",
    "_url_views",
    "calls_into",
    "check_lab",
    "checks",
    "exercise_1",
    "exercise_2",
    "exercise_3",
    "exercise_4",
    "exercise_5",
    "functions",
    "has_query",
    "imported_from",
    "inline_rules",
    "is_atomic",
    "layer_files",
    "layer_module",
    "layer_tests",
    "missing_module",
    "parse",
    "parse_junit",
    "permissions_step",
    "public_functions",
    "relative",
    "report_dict",
    "run_tests",
    "selectors_step",
    "services_step",
    "tests_pass",
    "view_violations",
    "view_writes",
    "views_thin",
    "views_use",
    "writes",
]
