"""A baked project's `make check` enforces its architecture, and `addapp` keeps it.

Violations are injected into a baked project in two runs, each checker's
together (import-linter reports every broken contract, the project's
architecture tests every broken rule): `make check` must fail and name each
rule and file. Every injection is reverted exactly. Then `manage.py addapp
billing` adds an app whose own tests `make check` runs and passes; bad names
and `--dry-run` change nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import baked_env
from conftest import WITHOUT_BROWSER_TESTS, bake_default, require_interpreter

# Like the baked checks: a cached venv per interpreter line, one worker each
# (Python 3.12's, the line with fewer runs).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("py3.12")]

MAKE_CHECK_TIMEOUT = 900
TAIL_LINES = 60


@dataclass(frozen=True)
class Injection:
    id: str
    path: str  # relative to the project
    code: str  # appended to the file (created when missing)
    expected: tuple[str, ...]  # strings the failing output must hold


# What the project's architecture tests find (`make architecture`).
RULE_INJECTIONS = [
    Injection(
        "query-in-view",
        "tasks/views.py",
        """

def task_count(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    from tasks.models import Task

    count = Task.objects.filter(organization__slug=org_slug).count()
    return HttpResponse(str(count))
""",
        ("[views-no-orm]", "tasks/views.py:"),
    ),
    Injection(
        # The API is held to the view rules.
        "query-in-api",
        "articles/api.py",
        """

def article_count(request: Request) -> Response:
    count = Article.objects.count()
    return Response({"count": count})
""",
        ("[views-no-orm]", "articles/api.py:"),
    ),
    Injection(
        "query-in-permission",
        "tasks/permissions.py",
        """

def can_see_any_task(*, membership: Membership) -> bool:
    return Task.objects.filter(organization_id=membership.organization_id).exists()
""",
        ("[permissions-no-query]", "tasks/permissions.py:"),
    ),
    Injection(
        "module-without-layer",
        "tasks/helpers.py",
        '''"""Small shared bits."""


def double(value: int) -> int:
    return value * 2
''',
        ("[module-without-layer]", "tasks/helpers.py:1:"),
    ),
]

# What import-linter finds (`lint-imports` in `make lint`).
IMPORT_INJECTIONS = [
    Injection(
        "model-imports-service",
        "articles/models.py",
        """

def create_through_service(**kwargs):
    from articles.services import create_article

    return create_article(**kwargs)
""",
        ("app-layers:", "articles.models -> articles.services"),
    ),
    Injection(
        "orgs-imports-tasks",
        "orgs/selectors.py",
        """

def task_count(*, organization: Organization) -> int:
    from tasks.models import Task

    return Task.objects.filter(organization=organization).count()
""",
        ("app-graph:", "orgs.selectors -> tasks.models"),
    ),
    Injection(
        "app-imports-devtools",
        "tasks/selectors.py",
        """

def demo_organization_name() -> str:
    from devtools.demo import demo_organization_name

    return demo_organization_name()
""",
        ("app-graph:", "tasks.selectors -> devtools.demo"),
    ),
]

# The rules about jobs and side effects, also found by the architecture tests.
JOB_INJECTIONS = [
    Injection(
        "send-mail-outside-on-commit",
        "tasks/services.py",
        """

def notify_assignee(*, task: Task) -> None:
    from django.core.mail import send_mail

    send_mail("Task assigned", task.title, None, ["someone@example.com"])
""",
        ("[services-side-effect-on-commit]", "tasks/services.py:"),
    ),
    Injection(
        "job-imports-service",
        "articles/jobs.py",
        """

@job
def rename_the_authors_org(*, article_id: int, name: str) -> None:
    from orgs.selectors import list_memberships
    from orgs.services import rename_organization

    article = get_published_article(article_id=article_id)
    if article is not None:
        for membership in list_memberships(user=article.author):
            rename_organization(
                actor=article.author, organization=membership.organization, name=name
            )
""",
        ("[jobs-no-service]", "articles/jobs.py:"),
    ),
    Injection(
        "view-enqueues-job",
        "orgs/views.py",
        """

def mail_invite_now(request: AuthenticatedHttpRequest, invite_id: int) -> HttpResponse:
    from orgs.jobs import send_invite_email

    send_invite_email.delay(invite_id=invite_id)
    return HttpResponse("queued")
""",
        ("[views-no-enqueue]", "orgs/views.py:"),
    ),
    Injection(
        "enqueue-outside-on-commit",
        "articles/services.py",
        """

def mail_publication_now(*, article: Article) -> None:
    send_article_published_email.delay(article_id=article.pk)
""",
        ("[services-side-effect-on-commit]", "articles/services.py:"),
    ),
]


def tail(text: str, lines: int = TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.fixture
def baked(cookies) -> tuple[Path, baked_env.BakedEnv]:
    interpreter = require_interpreter("3.12")
    project = bake_default(cookies)
    return project, baked_env.env_for_project(project, interpreter)


def run(project: Path, env: baked_env.BakedEnv, *command: str):
    return env.run(project, *command, timeout=MAKE_CHECK_TIMEOUT)


def make_check(project: Path, env: baked_env.BakedEnv):
    make = shutil.which("make")
    assert make, "make is needed to run a baked project's checks"
    return env.run(
        project, make, "check", timeout=MAKE_CHECK_TIMEOUT, **WITHOUT_BROWSER_TESTS
    )


def manage(project: Path, env: baked_env.BakedEnv, *args: str):
    return run(project, env, str(env.python), "manage.py", *args)


def digest(project: Path) -> dict[str, str]:
    """Every file of the project and a hash of its content.

    Not the SQLite database: Django 6.1 creates the empty file when a command
    starts, whatever the command does.
    """
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in sorted(project.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.name != "db.sqlite3"
    }


def python_sources(project: Path) -> dict[str, str]:
    """The project's Python files, without the caches the checks write."""
    return {
        path: sha
        for path, sha in digest(project).items()
        if path.endswith(".py") and not path.startswith(".")
    }


@contextlib.contextmanager
def injected(project: Path, injections: list[Injection]) -> Iterator[None]:
    """The project with ``injections`` applied, restored on the way out."""
    originals = {}
    try:
        for injection in injections:
            path = project / injection.path
            original = path.read_text(encoding="utf-8") if path.exists() else None
            originals[path] = original
            path.write_text((original or "") + injection.code, encoding="utf-8")
        yield
    finally:
        for path, original in originals.items():
            if original is None:
                path.unlink()
            else:
                path.write_text(original, encoding="utf-8")


def test_each_architecture_violation_fails_make_check(baked):
    project, env = baked
    before = python_sources(project)
    failures = []

    # One `make check` per checker, with every violation it must report.
    for run_of in [IMPORT_INJECTIONS, RULE_INJECTIONS + JOB_INJECTIONS]:
        with injected(project, run_of):
            proc = make_check(project, env)
        for injection in run_of:
            missing = [text for text in injection.expected if text not in proc.stdout]
            if proc.returncode == 0 or missing:
                failures.append(
                    f"{injection.id}: `make check` exited {proc.returncode}, "
                    f"output lacks {missing}:\n{tail(proc.stdout)}"
                )

    assert not failures, "\n\n".join(failures)
    assert python_sources(project) == before, "the injections were not all reverted"


BAD_NAMES = [
    ("class", "keyword"),
    ("1abc", "identifier"),
    ("Billing", "lowercase"),
    ("orgs", "exists"),
    ("json", "shadows"),
    ("django", "shadows"),
]


def test_addapp_refuses_bad_names_and_dry_run_writes_nothing(baked):
    project, env = baked
    before = digest(project)

    for name, rule in BAD_NAMES:
        proc = manage(project, env, "addapp", name)
        assert proc.returncode != 0, f"addapp {name} passed:\n{proc.stdout}"
        assert f"'{name}'" in proc.stdout, proc.stdout
        assert f"[rule: {rule}]" in proc.stdout, proc.stdout
        assert "Traceback" not in proc.stdout, proc.stdout
        assert digest(project) == before, f"addapp {name} changed files"

    proc = manage(project, env, "addapp", "billing", "--dry-run")
    assert proc.returncode == 0, proc.stdout
    assert "create billing/models.py" in proc.stdout
    assert "create billing/api.py" in proc.stdout  # the default bake has the API
    assert "edit   pyproject.toml" in proc.stdout
    assert digest(project) == before, "addapp --dry-run changed files"


def test_addapp_billing_then_make_check_passes_with_its_tests(baked):
    project, env = baked
    pyproject = project / "pyproject.toml"
    before = pyproject.read_text(encoding="utf-8").splitlines()

    proc = manage(project, env, "addapp", "billing")
    assert proc.returncode == 0, proc.stdout
    after = pyproject.read_text(encoding="utf-8").splitlines()
    changed = [new for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 2, changed  # comments and layout kept (tomlkit)
    assert all("billing" in line for line in changed), changed
    collected = run(
        project,
        env,
        str(env.python),
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "billing/tests",
    )
    match = re.search(r"(\d+) tests? collected", collected.stdout)
    assert match, collected.stdout
    assert int(match.group(1)) > 0, collected.stdout

    proc = make_check(project, env)

    assert proc.returncode == 0, tail(proc.stdout)
    for layer in ("permissions", "selectors", "services", "jobs", "views", "api"):
        assert f"billing/tests/test_{layer}.py" in proc.stdout, tail(proc.stdout)
    assert "billing.models" not in proc.stdout  # no contract broken by the app
