"""Reads about an organization's tasks.

Every read is scoped to one organization, with one ``select_related``
strategy. The task list page and the CSV export both go through
``tasks_for_listing``: the same filters, the same order, the same rows.
"""

from collections.abc import Iterator
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from orgs.models import Organization
from tasks.models import Task, TaskEvent
from tasks.types import AssigneeFilter, TaskFilters
from users.models import User

# Related rows every task page shows: joined once, never fetched per row.
TASK_RELATED = ("assigned_to", "created_by", "updated_by")

CSV_HEADER = (
    "id",
    "title",
    "status",
    "priority",
    "assigned_to",
    "due_date",
    "created_by",
    "created_at",
    "updated_at",
    "description",
)
# The same columns read straight from the database, without building models.
_CSV_VALUES = (
    "id",
    "title",
    "status",
    "priority",
    "assigned_to__username",
    "due_date",
    "created_by__username",
    "created_at",
    "updated_at",
    "description",
)
# A cell starting with one of these is run as a formula by spreadsheet apps.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def task_qs_for_org(*, organization: Organization) -> QuerySet[Task]:
    """The organization's tasks with their people joined, newest first."""
    return (
        Task.objects.filter(organization=organization)
        .select_related(*TASK_RELATED)
        .order_by("-created_at", "-id")
    )


def filter_tasks(
    *,
    qs: QuerySet[Task],
    actor: User,
    q: str | None = None,
    status: str | None = None,
    priority: int | None = None,
    assigned_to: AssigneeFilter | str | None = None,
) -> QuerySet[Task]:
    """Narrow ``qs``; ``assigned_to`` is "me" (the actor), "none" or a user id."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if priority:
        qs = qs.filter(priority=priority)
    if assigned_to == "me":
        qs = qs.filter(assigned_to=actor)
    elif assigned_to == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assigned_to not in (None, ""):
        try:
            user_id = int(assigned_to)
        except (TypeError, ValueError):
            return qs.none()
        qs = qs.filter(assigned_to_id=user_id)
    return qs


def tasks_for_listing(
    *, organization: Organization, actor: User, filters: TaskFilters
) -> QuerySet[Task]:
    """The one filtering path of the task list page and the CSV export."""
    return filter_tasks(
        qs=task_qs_for_org(organization=organization),
        actor=actor,
        q=filters.q,
        status=filters.status,
        priority=filters.priority,
        assigned_to=filters.assigned_to,
    )


def get_task_for_org_or_404(*, organization: Organization, task_id: int) -> Task:
    """A task by id inside one org: an id from another org is a 404."""
    task = task_qs_for_org(organization=organization).filter(pk=task_id).first()
    if task is None:
        raise Http404("No task matches the given query.")
    return task


def events_for_task(*, task: Task) -> QuerySet[TaskEvent]:
    """The task's history with who did what, newest first."""
    return (
        TaskEvent.objects.filter(task=task)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def get_member_user(*, organization: Organization, user_id: int) -> User | None:
    """The user with this id if they belong to the organization, else None."""
    return User.objects.filter(
        pk=user_id, memberships__organization=organization
    ).first()


def task_titles_for_org(*, organization: Organization) -> set[str]:
    return set(
        Task.objects.filter(organization=organization).values_list("title", flat=True)
    )


def spreadsheet_safe(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def task_csv_rows(*, qs: QuerySet[Task], chunk_size: int = 2000) -> Iterator[list[str]]:
    """The header, then one row per task of ``qs`` in its order.

    Rows are read in chunks as plain values, so memory stays flat however
    many tasks there are; every cell is safe to open in a spreadsheet.
    """
    yield list(CSV_HEADER)
    for values in qs.values_list(*_CSV_VALUES).iterator(chunk_size=chunk_size):
        yield [spreadsheet_safe(value) for value in values]
