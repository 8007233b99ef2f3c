"""Reads about an organization's tasks.

Every read is scoped to one organization, with one ``select_related``
strategy. The task list page and the CSV export both read through
``list_tasks``: the same filters, the same order, the same rows.
"""

from collections.abc import Iterator
from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from orgs.models import Organization
from tasks.models import Task, TaskEvent
from tasks.types import TaskFilters, TaskStatus
from users.models import User

# The people a list of tasks shows, joined once, never fetched per row; a
# task's own page shows who last changed it too.
_TASK_RELATED = ("assigned_to", "created_by")

# The export's columns: the header, and the value read straight from the
# database (plain values, no models built).
_CSV_COLUMNS = (
    ("id", "id"),
    ("title", "title"),
    ("status", "status"),
    ("priority", "priority"),
    ("assigned_to", "assigned_to__username"),
    ("due_date", "due_date"),
    ("created_by", "created_by__username"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("description", "description"),
)
# A cell starting with one of these is run as a formula by spreadsheet apps.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _tasks(*, organization: Organization) -> QuerySet[Task]:
    return (
        Task.objects.filter(organization=organization)
        .select_related(*_TASK_RELATED)
        .order_by("-created_at", "-id")
    )


def list_tasks(
    *, organization: Organization, actor: User, filters: TaskFilters
) -> QuerySet[Task]:
    """The organization's tasks narrowed by ``filters``, newest first.

    ``actor`` is the person asking: the assignee filter "me" means them.
    """
    tasks = _tasks(organization=organization)
    q = filters.q.strip()
    if q:
        tasks = tasks.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.priority:
        tasks = tasks.filter(priority=filters.priority)
    if filters.assigned_to == "me":
        tasks = tasks.filter(assigned_to=actor)
    elif filters.assigned_to == "none":
        tasks = tasks.filter(assigned_to__isnull=True)
    elif filters.assigned_to is not None:
        tasks = tasks.filter(assigned_to_id=filters.assigned_to)
    return tasks


def _open_tasks_assigned_to(user: User | AnonymousUser) -> QuerySet[Task]:
    """Tasks not done, assigned to the user in an organization they belong to."""
    if not user.is_authenticated:
        return Task.objects.none()
    return Task.objects.filter(
        assigned_to=user, organization__memberships__user=user
    ).exclude(status=TaskStatus.DONE)


def list_assigned_tasks(*, user: User | AnonymousUser, limit: int) -> QuerySet[Task]:
    """The user's open tasks across their organizations, at most ``limit``.

    The nearest due date first (overdue ones on top), then those without a
    due date; the newest first among equals. One query, the organization
    joined for the links.
    """
    return (
        _open_tasks_assigned_to(user)
        .select_related("organization")
        .order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")[:limit]
    )


def count_assigned_tasks(*, user: User | AnonymousUser) -> int:
    """How many open tasks the user has across their organizations."""
    return _open_tasks_assigned_to(user).count()


def get_task(*, organization: Organization, task_id: int) -> Task | None:
    """A task by id inside one organization: an id from another one is None."""
    return (
        _tasks(organization=organization)
        .select_related("updated_by")
        .filter(pk=task_id)
        .first()
    )


def list_task_events(*, task: Task, limit: int | None = None) -> QuerySet[TaskEvent]:
    """The task's history with who did what, newest first: the latest
    ``limit`` changes when given."""
    events = (
        TaskEvent.objects.filter(task=task)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
    return events if limit is None else events[:limit]


def list_task_titles(*, organization: Organization) -> set[str]:
    """The titles in use, so that demo data adds only the tasks it lacks."""
    return set(
        Task.objects.filter(organization=organization).values_list("title", flat=True)
    )


def get_member_user(*, organization: Organization, user_id: int) -> User | None:
    """The user with this id if they belong to the organization, else None."""
    return User.objects.filter(
        pk=user_id, memberships__organization=organization
    ).first()


def iter_task_csv_rows(
    *, tasks: QuerySet[Task], chunk_size: int
) -> Iterator[list[str]]:
    """The header, then one row per task of ``tasks`` in its order.

    Rows are read in chunks as plain values, so memory stays flat however
    many tasks there are; every cell is safe to open in a spreadsheet.
    """
    yield [header for header, _ in _CSV_COLUMNS]
    values = tasks.values_list(*(column for _, column in _CSV_COLUMNS))
    for row in values.iterator(chunk_size=chunk_size):
        yield [_spreadsheet_safe(value) for value in row]


def _spreadsheet_safe(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text
