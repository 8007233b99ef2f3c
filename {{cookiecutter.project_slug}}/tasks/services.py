"""Write workflows for tasks; each one records its audit events.

Every function is one transaction: the task change and its ``TaskEvent``s are
written together or not at all. Authorization is the caller's job (views ask
``tasks.permissions``; the admin is for staff); the rules that must hold
whoever calls are enforced here: the assignee must be a member of the task's
organization, the status and priority must be known values.

Deleting a task keeps its trail: earlier events stay (their ``task`` becomes
NULL) and a final "deleted" event stores the task's id, title and last state.

Updates and deletes lock the task's row alone, then read the rows they need
besides (the organization, the old assignee) by their own queries. A join in
the locking query would not do: when the lock had to wait for another
transaction, PostgreSQL re-reads the locked row but not the rows joined to
it, and the old assignee came back empty.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from core.exceptions import ConflictError, DomainError, require_choice
from core.versions import changed_fields
from orgs.models import Organization
from tasks.models import Task, TaskEvent
from tasks.selectors import get_member_user
from tasks.types import (
    TaskCreated,
    TaskDeleted,
    TaskEventAction,
    TaskInput,
    TaskPriority,
    TaskStatus,
    TaskUpdated,
)
from users.models import User

logger = logging.getLogger(__name__)

# Fields whose changes share one "updated" event; status and assignee have
# their own. Also the order of a diff, and so of the events written.
_PLAIN_FIELDS = ("title", "description", "priority", "due_date")
_DIFFED_FIELDS = (*_PLAIN_FIELDS, "status", "assigned_to_id")

_Diff = dict[str, tuple[Any, Any]]

# How a conflict message names each edited field.
_FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "status": "status",
    "priority": "priority",
    "assigned_to_id": "assignee",
    "due_date": "due date",
}


def _record_event(
    *,
    organization: Organization,
    task: Task | None,
    actor: User,
    action: str,
    details: dict[str, Any],
) -> TaskEvent:
    """Write one audit event; always called inside the workflow's transaction."""
    return TaskEvent.objects.create(
        organization=organization,
        task=task,
        actor=actor,
        action=action,
        details=details,
    )


def _clean(data: TaskInput) -> TaskInput:
    title = data.title.strip()
    if not title:
        raise DomainError("A task needs a title.", field="title")
    require_choice(data.status, allowed=TaskStatus.values, field="status")
    if data.priority not in TaskPriority.values:
        lowest, highest = min(TaskPriority.values), max(TaskPriority.values)
        raise DomainError(
            f"Priority {data.priority} is not between {lowest} and {highest}.",
            field="priority",
        )
    return TaskInput(
        title=title,
        description=data.description.strip(),
        status=data.status,
        priority=data.priority,
        assigned_to_id=data.assigned_to_id,
        due_date=data.due_date,
    )


def _assignee(*, organization: Organization, user_id: int | None) -> User | None:
    """The assignee, who must belong to the task's organization."""
    if user_id is None:
        return None
    user = get_member_user(organization=organization, user_id=user_id)
    if user is None:
        raise DomainError(
            f"The assignee must be a member of {organization}.", field="assigned_to"
        )
    return user


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def create_task(
    *, actor: User, organization: Organization, data: TaskInput
) -> TaskCreated:
    data = _clean(data)
    assignee = _assignee(organization=organization, user_id=data.assigned_to_id)
    task = Task.objects.create(
        organization=organization,
        title=data.title,
        description=data.description,
        status=data.status,
        priority=data.priority,
        assigned_to=assignee,
        due_date=data.due_date,
        created_by=actor,
        updated_by=actor,
    )
    event = _record_event(
        organization=organization,
        task=task,
        actor=actor,
        action=TaskEventAction.CREATED,
        details={
            "title": task.title,
            "status": task.status,
            "priority": task.priority,
            "assigned_to": task.assigned_to_id,
            "assigned_to_username": _username(assignee),
        },
    )
    logger.info("%s created task %s in %s", actor, task.pk, organization.slug)
    return TaskCreated(task=task, event=event)


def _lock(task: Task) -> Task:
    """The task's row, locked until the transaction ends, with no join."""
    locked = Task.objects.select_for_update().filter(pk=task.pk).first()
    if locked is None:
        raise ConflictError(
            f"The task “{task.title}” was deleted meanwhile: nothing was saved."
        )
    return locked


def _refuse_stale_edit(*, locked: Task, actor: User, version: str) -> None:
    """Refuse input made from another state of the task than the stored one."""
    changed = changed_fields(version=version, current=locked.edit_version())
    if not changed:
        return
    names = [_FIELD_NAMES[name] for name in changed]
    fields = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
    editor = locked.updated_by
    if editor is None:
        by = ""
    elif editor.pk == actor.pk:
        by = " (last saved by you, in another window)"
    else:
        by = f" (last saved by {editor.get_username()})"
    raise ConflictError(
        f"This task changed while you were editing it: its {fields}{by}. "
        "Nothing was saved, and your changes are kept below: save again to "
        "overwrite the task with them."
    )


def _diff(*, task: Task, data: TaskInput) -> _Diff:
    """Each field that ``data`` changes on ``task``, as (old, new), in order."""
    return {
        name: (getattr(task, name), getattr(data, name))
        for name in _DIFFED_FIELDS
        if getattr(data, name) != getattr(task, name)
    }


def _update_events(
    diff: _Diff, *, old_assignee: User | None, new_assignee: User | None
) -> list[tuple[str, dict[str, Any]]]:
    """The (action, details) of each event that records ``diff``."""
    events: list[tuple[str, dict[str, Any]]] = []
    plain = [name for name in _PLAIN_FIELDS if name in diff]
    if plain:
        # A description can be long: the event names it without copying it.
        shown = [name for name in plain if name != "description"]
        before = {name: _plain(diff[name][0]) for name in shown}
        after = {name: _plain(diff[name][1]) for name in shown}
        events.append(
            (TaskEventAction.UPDATED, {"fields": plain, "from": before, "to": after})
        )
    if "status" in diff:
        old, new = diff["status"]
        events.append((TaskEventAction.STATUS_CHANGED, {"from": old, "to": new}))
    if "assigned_to_id" in diff:
        old, new = diff["assigned_to_id"]
        names = {
            "from_username": _username(old_assignee),
            "to_username": _username(new_assignee),
        }
        events.append(
            (TaskEventAction.ASSIGNEE_CHANGED, {"from": old, "to": new, **names})
        )
    return events


@transaction.atomic
def update_task(
    *, actor: User, task: Task, data: TaskInput, version: str | None = None
) -> TaskUpdated:
    """Apply ``data``; the old values come from the locked row, not from ``task``.

    Two concurrent updates of one task run one after the other, so the second
    one's "from" is the first one's "to" and the history stays a chain. Input
    that changes nothing writes nothing.

    ``version`` is the ``Task.edit_version()`` of the task the person's form
    showed. If one of those values has changed since, nothing is written and
    ``ConflictError`` says which ones changed (and who changed them last), so
    nobody undoes a colleague's edit unknowingly. Without it (the admin) the
    input is applied to whatever is stored.
    """
    data = _clean(data)
    locked = _lock(task)
    if version is not None:
        _refuse_stale_edit(locked=locked, actor=actor, version=version)
    diff = _diff(task=locked, data=data)
    if not diff:
        return TaskUpdated(task=locked, events=())

    # Read after the lock, each by its own query: what is committed now.
    organization = locked.organization
    old_assignee = new_assignee = locked.assigned_to
    if "assigned_to_id" in diff:
        # Only a new assignment is checked: an existing one is history.
        new_assignee = _assignee(organization=organization, user_id=data.assigned_to_id)
    for name, (_, new) in diff.items():
        setattr(locked, name, new)
    locked.assigned_to = new_assignee
    locked.updated_by = actor
    locked.save()

    events = tuple(
        _record_event(
            organization=organization,
            task=locked,
            actor=actor,
            action=action,
            details=details,
        )
        for action, details in _update_events(
            diff, old_assignee=old_assignee, new_assignee=new_assignee
        )
    )
    logger.info("%s updated task %s", actor, locked.pk)
    return TaskUpdated(task=locked, events=events)


@transaction.atomic
def delete_task(*, actor: User, task: Task) -> TaskDeleted:
    """Delete the task; its events stay, closed by a "deleted" event."""
    locked = _lock(task)
    task_id, title = locked.pk, locked.title
    event = _record_event(
        organization=locked.organization,
        task=None,
        actor=actor,
        action=TaskEventAction.DELETED,
        details={
            "task_id": task_id,
            "title": title,
            "status": locked.status,
            "priority": locked.priority,
            "assigned_to": locked.assigned_to_id,
        },
    )
    locked.delete()
    logger.info("%s deleted task %s (%s)", actor, task_id, title)
    return TaskDeleted(task_id=task_id, title=title, event=event)


@transaction.atomic
def delete_tasks(*, actor: User, tasks: Iterable[Task]) -> list[TaskDeleted]:
    """Delete several tasks in one transaction, each with its "deleted" event."""
    return [delete_task(actor=actor, task=task) for task in tasks]
