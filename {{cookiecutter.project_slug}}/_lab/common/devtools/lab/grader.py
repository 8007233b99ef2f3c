"""The lab's steps in order, and ``check_lab``, which judges them all."""

from collections.abc import Callable, Sequence
from pathlib import Path

from .exercises import exercise_1, exercise_2, exercise_3, exercise_4, exercise_5
from .findings import StepResult
from .project_steps import checks, layer_tests, views_thin
from .refactor_steps import permissions_step, selectors_step, services_step
from .step import LAB_APPS, Step
from .testrun import SuiteRun, run_tests

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
        "exercise 2: orgs/services_invites.py sends the invite e-mail after "
        "the commit, with tests that read the outbox",
        exercise_2,
    ),
    Step(
        "exercise-3",
        "exercise 3: the task list and the CSV export call one selector, "
        "tasks.selectors.list_tasks()",
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
