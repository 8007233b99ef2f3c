"""Write workflows for tasks; each one records its audit events.

Every function is one transaction: the task change and its ``TaskEvent``s are
written together or not at all. Authorization is the caller's job (views ask
``tasks.permissions``; the admin is for staff); the rules that must hold
whoever calls are enforced here: the assignee must be a member of the task's
organization, the status and priority must be known values.

Deleting a task keeps its trail: earlier events stay (their ``task`` becomes
NULL) and a final "deleted" event stores the task's id, title and last state.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from core.exceptions import DomainError, require_choice
from orgs.models import Organization
from tasks.models import Task, TaskEvent
from tasks.selectors import get_member_user
from tasks.types import TaskCreated, TaskDeleted, TaskInput, TaskUpdated
from users.models import User

logger = logging.getLogger(__name__)

# Fields whose change is an "updated" event; status and assignee have their own.
_PLAIN_FIELDS = ("title", "description", "priority", "due_date")


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
    require_choice(data.status, allowed=Task.Status.values, field="status")
    if data.priority not in Task.Priority.values:
        raise DomainError(
            f"Priority {data.priority} is not between 1 and 4.", field="priority"
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


def _user_id(user: User | None) -> int | None:
    return user.pk if user is not None else None


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
        action=TaskEvent.Action.CREATED,
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


@transaction.atomic
def update_task(*, actor: User, task: Task, data: TaskInput) -> TaskUpdated:
    """Apply ``data``; the old values come from the locked row, not from ``task``.

    Two concurrent updates of one task run one after the other, so the second
    one's "from" is the first one's "to" and the history stays a chain. Input
    that changes nothing writes nothing.
    """
    data = _clean(data)
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("organization", "assigned_to")
        .get(pk=task.pk)
    )
    organization = locked.organization
    old_assignee = locked.assigned_to
    old_status = locked.status
    before = {name: getattr(locked, name) for name in _PLAIN_FIELDS}

    changed = [name for name in _PLAIN_FIELDS if getattr(data, name) != before[name]]
    status_changed = data.status != old_status
    assignee_changed = data.assigned_to_id != locked.assigned_to_id
    if not (changed or status_changed or assignee_changed):
        return TaskUpdated(task=locked, events=())

    for name in changed:
        setattr(locked, name, getattr(data, name))
    locked.status = data.status
    if assignee_changed:
        # Only a new assignment is checked: an existing one is history.
        locked.assigned_to = _assignee(
            organization=organization, user_id=data.assigned_to_id
        )
    locked.updated_by = actor
    locked.save()

    events: list[TaskEvent] = []
    if changed:
        shown = [name for name in changed if name != "description"]
        events.append(
            _record_event(
                organization=organization,
                task=locked,
                actor=actor,
                action=TaskEvent.Action.UPDATED,
                details={
                    "fields": changed,
                    "from": {name: _plain(before[name]) for name in shown},
                    "to": {name: _plain(getattr(locked, name)) for name in shown},
                },
            )
        )
    if status_changed:
        events.append(
            _record_event(
                organization=organization,
                task=locked,
                actor=actor,
                action=TaskEvent.Action.STATUS_CHANGED,
                details={"from": old_status, "to": locked.status},
            )
        )
    if assignee_changed:
        events.append(
            _record_event(
                organization=organization,
                task=locked,
                actor=actor,
                action=TaskEvent.Action.ASSIGNEE_CHANGED,
                details={
                    "from": _user_id(old_assignee),
                    "to": locked.assigned_to_id,
                    "from_username": _username(old_assignee),
                    "to_username": _username(locked.assigned_to),
                },
            )
        )
    logger.info("%s updated task %s", actor, locked.pk)
    return TaskUpdated(task=locked, events=tuple(events))


@transaction.atomic
def delete_task(*, actor: User, task: Task) -> TaskDeleted:
    """Delete the task; its events stay, closed by a "deleted" event."""
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=task.pk)
    )
    task_id, title = locked.pk, locked.title
    event = _record_event(
        organization=locked.organization,
        task=None,
        actor=actor,
        action=TaskEvent.Action.DELETED,
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
