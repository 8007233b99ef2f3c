"""The database refuses a choice the code does not know, whoever writes."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from tasks.models import Task, TaskEvent
from tasks.tests.factories import TaskEventFactory, TaskFactory
from tasks.types import TaskEventAction, TaskPriority, TaskStatus

pytestmark = pytest.mark.django_db


def refused(factory, **values) -> bool:
    try:
        with transaction.atomic():
            factory.create(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("status", TaskStatus.values)
def test_every_status_is_stored(status):
    assert not refused(TaskFactory, status=status)


@pytest.mark.parametrize("priority", TaskPriority.values)
def test_every_priority_is_stored(priority):
    assert not refused(TaskFactory, priority=priority)


@pytest.mark.parametrize("action", TaskEventAction.values)
def test_every_event_action_is_stored(action):
    assert not refused(TaskEventFactory, action=action)


@pytest.mark.parametrize(
    "values", [{"status": "archived"}, {"priority": 0}, {"priority": 5}]
)
def test_an_unknown_status_or_priority_is_refused(values):
    assert refused(TaskFactory, **values)
    assert not Task.objects.exists()


def test_an_unknown_event_action_is_refused():
    assert refused(TaskEventFactory, action="archived")
    assert not TaskEvent.objects.exists()


def test_the_edit_version_changes_with_each_edited_field_only():
    task = Task(title="T", description="", status="todo", priority=2)
    version = task.edit_version()
    assert version == Task(title="T", status="todo", priority=2).edit_version()
    assert [part.split(":")[0] for part in version.split(",")] == list(
        Task.EDITED_FIELDS
    )
    for name, value in [
        ("title", "U"),
        ("description", "More"),
        ("status", "done"),
        ("priority", 3),
        ("assigned_to_id", 7),
        ("due_date", date(2030, 1, 31)),
    ]:
        values = {"title": "T", "status": "todo", "priority": 2, name: value}
        assert Task(**values).edit_version() != version, name
    not_edited = Task(title="T", status="todo", priority=2, updated_by_id=7)
    assert not_edited.edit_version() == version
