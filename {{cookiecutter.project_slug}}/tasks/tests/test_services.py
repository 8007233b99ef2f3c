"""Services: every write records its events in the same transaction."""

from dataclasses import replace
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exceptions import ConflictError, DomainError
from orgs.tests.factories import MembershipFactory
from tasks.models import Task, TaskEvent
from tasks.services import create_task, delete_task, update_task
from tasks.tests.factories import TaskFactory
from tasks.types import TaskInput

pytestmark = pytest.mark.django_db

WRITE = TaskInput(title="Write the intro", priority=3)


def input_of(task: Task, **changes) -> TaskInput:
    current = TaskInput(
        title=task.title,
        description=task.description,
        status=task.status,
        priority=task.priority,
        assigned_to_id=task.assigned_to_id,
        due_date=task.due_date,
    )
    return replace(current, **changes)


def broken_event_writer():
    return mock.patch(
        "tasks.services._record_event", side_effect=RuntimeError("disk full")
    )


@pytest.fixture
def task(org_with_roles):
    return create_task(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        data=TaskInput(title="Draft", assigned_to_id=org_with_roles.member.pk),
    ).task


# create ---------------------------------------------------------------------


def test_create_task_records_a_created_event(org_with_roles):
    alice, bob = org_with_roles.admin, org_with_roles.member
    result = create_task(
        actor=alice,
        organization=org_with_roles.organization,
        data=TaskInput(
            title="  Write the intro ",
            status="in_progress",
            priority=4,
            assigned_to_id=bob.pk,
            due_date=date(2030, 1, 31),
        ),
    )
    task = Task.objects.get()
    assert task == result.task
    assert (task.title, task.status, task.priority) == (
        "Write the intro",
        "in_progress",
        4,
    )
    assert (task.assigned_to, task.created_by, task.updated_by) == (bob, alice, alice)
    assert task.organization == org_with_roles.organization
    event = TaskEvent.objects.get()
    assert event == result.event
    assert (event.task, event.actor, event.action) == (task, alice, "created")
    assert event.organization == org_with_roles.organization
    assert event.details["assigned_to_username"] == "bob"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (TaskInput(title="   "), "title"),
        (TaskInput(title="T", status="archived"), "status"),
        (TaskInput(title="T", priority=5), "priority"),
    ],
)
def test_create_task_refuses_bad_values(org_with_roles, data, field):
    with pytest.raises(DomainError) as refused:
        create_task(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            data=data,
        )
    assert refused.value.field == field
    assert not Task.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "member_of_other_org"])
def test_create_task_refuses_an_assignee_outside_the_org(org_with_roles, who):
    user = (
        org_with_roles.outsider
        if who == "outsider"
        else MembershipFactory.create().user
    )
    with pytest.raises(DomainError) as refused:
        create_task(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            data=replace(WRITE, assigned_to_id=user.pk),
        )
    assert refused.value.field == "assigned_to"
    assert "must be a member of Acme" in refused.value.message
    assert not Task.objects.exists()
    assert not TaskEvent.objects.exists()


def test_create_task_failing_event_leaves_nothing(org_with_roles):
    with broken_event_writer(), pytest.raises(RuntimeError):
        create_task(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            data=WRITE,
        )
    assert not Task.objects.exists()
    assert not TaskEvent.objects.exists()


# update ---------------------------------------------------------------------


def test_update_status_records_from_and_to(org_with_roles, task):
    bob = org_with_roles.member
    result = update_task(actor=bob, task=task, data=input_of(task, status="done"))
    assert [e.action for e in result.events] == ["status_changed"]
    assert result.events[0].details == {"from": "todo", "to": "done"}
    task.refresh_from_db()
    assert (task.status, task.updated_by) == ("done", bob)


def test_update_assignee_records_from_and_to(org_with_roles, task):
    alice, bob = org_with_roles.admin, org_with_roles.member
    result = update_task(
        actor=alice, task=task, data=input_of(task, assigned_to_id=alice.pk)
    )
    [event] = result.events
    assert (event.action, event.actor) == ("assignee_changed", alice)
    assert event.details == {
        "from": bob.pk,
        "to": alice.pk,
        "from_username": "bob",
        "to_username": "alice",
    }
    unassigned = update_task(
        actor=alice, task=task, data=input_of(result.task, assigned_to_id=None)
    )
    assert unassigned.events[0].details["to"] is None
    task.refresh_from_db()
    assert task.assigned_to is None


def test_update_other_fields_records_an_updated_event(org_with_roles, task):
    result = update_task(
        actor=org_with_roles.admin,
        task=task,
        data=input_of(
            task,
            title="Final draft",
            description="Long text",
            due_date=date(2030, 1, 31),
            status="in_progress",
        ),
    )
    assert [e.action for e in result.events] == ["updated", "status_changed"]
    assert result.events[0].details == {
        "fields": ["title", "description", "due_date"],
        "from": {"title": "Draft", "due_date": None},
        "to": {"title": "Final draft", "due_date": "2030-01-31"},
    }


def test_update_of_every_field_writes_one_event_per_kind_in_order(org_with_roles, task):
    alice, bob = org_with_roles.admin, org_with_roles.member
    result = update_task(
        actor=alice,
        task=task,
        data=TaskInput(
            title="Final",
            description="Now with text",
            status="done",
            priority=4,
            assigned_to_id=alice.pk,
            due_date=date(2030, 1, 31),
        ),
    )
    stored = TaskEvent.objects.filter(task=task).exclude(action="created")
    assert list(stored.order_by("id")) == list(result.events)
    assert [(e.action, e.details) for e in result.events] == [
        (
            "updated",
            {
                "fields": ["title", "description", "priority", "due_date"],
                "from": {"title": "Draft", "priority": 2, "due_date": None},
                "to": {"title": "Final", "priority": 4, "due_date": "2030-01-31"},
            },
        ),
        ("status_changed", {"from": "todo", "to": "done"}),
        (
            "assignee_changed",
            {
                "from": bob.pk,
                "to": alice.pk,
                "from_username": "bob",
                "to_username": "alice",
            },
        ),
    ]
    assert all(e.actor == alice for e in result.events)
    task.refresh_from_db()
    assert (task.title, task.priority, task.assigned_to) == ("Final", 4, alice)


def test_update_without_change_writes_nothing(org_with_roles, task):
    before = Task.objects.get(pk=task.pk).updated_at
    with CaptureQueriesContext(connection) as queries:
        result = update_task(actor=org_with_roles.admin, task=task, data=input_of(task))
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert result.events == ()
    assert not result.changed
    assert Task.objects.get(pk=task.pk).updated_at == before
    assert TaskEvent.objects.count() == 1


def test_update_reads_the_old_values_from_the_database_not_the_instance(
    org_with_roles, task
):
    stale = Task.objects.get(pk=task.pk)
    update_task(
        actor=org_with_roles.admin, task=task, data=input_of(task, status="done")
    )
    result = update_task(
        actor=org_with_roles.admin,
        task=stale,
        data=input_of(stale, status="in_progress"),
    )
    assert result.events[0].details == {"from": "done", "to": "in_progress"}


def test_update_refuses_an_assignee_outside_the_org(org_with_roles, task):
    with pytest.raises(DomainError) as refused:
        update_task(
            actor=org_with_roles.admin,
            task=task,
            data=input_of(
                task, assigned_to_id=org_with_roles.outsider.pk, status="done"
            ),
        )
    assert refused.value.field == "assigned_to"
    task.refresh_from_db()
    assert (task.assigned_to, task.status) == (org_with_roles.member, "todo")
    assert TaskEvent.objects.count() == 1


def test_update_keeps_an_assignee_who_has_left_when_unchanged(org_with_roles, task):
    org_with_roles.member_membership.delete()
    result = update_task(
        actor=org_with_roles.admin, task=task, data=input_of(task, title="Renamed")
    )
    assert result.task.assigned_to == org_with_roles.member


def test_update_failing_event_leaves_the_task_unchanged(org_with_roles, task):
    with broken_event_writer(), pytest.raises(RuntimeError):
        update_task(
            actor=org_with_roles.admin, task=task, data=input_of(task, status="done")
        )
    task.refresh_from_db()
    assert (task.status, task.updated_by) == ("todo", org_with_roles.admin)
    assert list(TaskEvent.objects.values_list("action", flat=True)) == ["created"]


def test_update_locks_the_task_row_alone(org_with_roles, task):
    """A join in the locking query is not re-read after a wait for the lock."""
    with CaptureQueriesContext(connection) as queries:
        update_task(
            actor=org_with_roles.admin,
            task=task,
            data=input_of(task, assigned_to_id=org_with_roles.admin.pk),
        )
    first_read = next(
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "tasks_task"' in query["sql"]
    )
    assert "JOIN" not in first_read.upper()


# stale input ----------------------------------------------------------------


def test_update_from_a_stale_version_is_refused_and_says_what_changed(
    org_with_roles, task
):
    alice, bob = org_with_roles.admin, org_with_roles.member
    seen = task.edit_version()  # alice opens the form
    update_task(actor=bob, task=task, data=input_of(task, title="Bob's", status="done"))
    with pytest.raises(ConflictError) as refused:
        update_task(
            actor=alice,
            task=task,
            data=input_of(task, description="Alice's notes"),
            version=seen,
        )
    assert refused.value.field is None
    assert "its title and status (last saved by bob)" in refused.value.message
    assert "Nothing was saved" in refused.value.message
    task.refresh_from_db()
    assert (task.title, task.status, task.description) == ("Bob's", "done", "")
    assert TaskEvent.objects.filter(actor=alice).count() == 1  # "created" only


def test_update_names_every_changed_field_and_the_same_person(org_with_roles, task):
    alice = org_with_roles.admin
    seen = task.edit_version()
    update_task(
        actor=alice,
        task=task,
        data=input_of(task, priority=4, assigned_to_id=None, due_date=date(2030, 1, 1)),
    )
    with pytest.raises(ConflictError) as refused:
        update_task(actor=alice, task=task, data=input_of(task), version=seen)
    assert (
        "its priority, assignee and due date (last saved by you, in another window)"
    ) in refused.value.message


def test_update_from_the_current_version_goes_through(org_with_roles, task):
    bob = org_with_roles.member
    update_task(actor=bob, task=task, data=input_of(task, title="Bob's"))
    task.refresh_from_db()
    result = update_task(
        actor=org_with_roles.admin,
        task=task,
        data=input_of(task, status="done"),
        version=task.edit_version(),
    )
    assert [e.action for e in result.events] == ["status_changed"]


def test_a_change_undone_meanwhile_is_no_conflict(org_with_roles, task):
    seen = task.edit_version()
    bob = org_with_roles.member
    update_task(actor=bob, task=task, data=input_of(task, title="Other"))
    update_task(actor=bob, task=task, data=input_of(task, title="Draft"))
    result = update_task(
        actor=org_with_roles.admin,
        task=task,
        data=input_of(task, status="done"),
        version=seen,
    )
    assert result.changed


def test_a_malformed_version_is_a_conflict_on_every_field(org_with_roles, task):
    with pytest.raises(ConflictError) as refused:
        update_task(
            actor=org_with_roles.admin,
            task=task,
            data=input_of(task, status="done"),
            version="nonsense",
        )
    assert "its title, description, status, priority, assignee and due date" in (
        refused.value.message
    )


def test_updating_or_deleting_a_task_deleted_meanwhile_is_a_conflict(
    org_with_roles, task
):
    stale = Task.objects.get(pk=task.pk)
    delete_task(actor=org_with_roles.admin, task=task)
    with pytest.raises(ConflictError, match="“Draft” was deleted meanwhile"):
        update_task(
            actor=org_with_roles.admin, task=stale, data=input_of(stale, title="X")
        )
    with pytest.raises(ConflictError, match="was deleted meanwhile"):
        delete_task(actor=org_with_roles.admin, task=stale)
    assert TaskEvent.objects.filter(action="deleted").count() == 1


# delete ---------------------------------------------------------------------


def test_delete_keeps_the_history_and_records_who_deleted(org_with_roles, task):
    task_id = task.pk
    result = delete_task(actor=org_with_roles.admin, task=task)
    assert not Task.objects.exists()
    assert (result.task_id, result.title) == (task_id, "Draft")
    events = list(TaskEvent.objects.order_by("id"))
    assert [e.action for e in events] == ["created", "deleted"]
    assert all(e.task is None for e in events)
    assert all(e.organization == org_with_roles.organization for e in events)
    assert events[1].actor == org_with_roles.admin
    assert events[1].details == {
        "task_id": task_id,
        "title": "Draft",
        "status": "todo",
        "priority": 2,
        "assigned_to": org_with_roles.member.pk,
    }


def test_delete_failing_event_keeps_the_task(org_with_roles, task):
    with broken_event_writer(), pytest.raises(RuntimeError):
        delete_task(actor=org_with_roles.admin, task=task)
    assert Task.objects.filter(pk=task.pk).exists()
    assert list(TaskEvent.objects.values_list("action", flat=True)) == ["created"]


def test_deleting_the_org_removes_the_trail(org_with_roles, task):
    delete_task(
        actor=org_with_roles.admin,
        task=TaskFactory.create(organization=task.organization),
    )
    org_with_roles.organization.delete()
    assert not TaskEvent.objects.exists()
