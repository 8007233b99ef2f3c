"""Concurrent updates of one task leave an exact history.

On PostgreSQL only (the ``postgresql`` fixture): SQLite writes one at a time
and has no row locks, so there is no race to lose there.
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connections

from orgs.tests.factories import MembershipFactory
from tasks import services
from tasks.models import Task, TaskEvent
from tasks.services import create_task, update_task
from tasks.types import TaskInput


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_updates_chain_their_events(postgresql, org_with_roles):
    alice = org_with_roles.admin
    task = create_task(
        actor=alice,
        organization=org_with_roles.organization,
        data=TaskInput(title="Contended"),
    ).task
    # Both threads start from the same stale instance, as two requests would.
    stale = Task.objects.get(pk=task.pk)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    record_event = services._record_event
    first_writer = threading.Lock()

    def slow_first_writer(**kwargs):
        # The first update holds its row lock a while before writing its
        # event, so the second one is surely waiting on that lock.
        if first_writer.acquire(blocking=False):
            time.sleep(0.3)
        return record_event(**kwargs)

    def change(status: str) -> None:
        try:
            barrier.wait(timeout=5)
            update_task(
                actor=alice,
                task=stale,
                data=TaskInput(title="Contended", status=status),
            )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=change, args=(status,))
        for status in ("in_progress", "done")
    ]
    with mock.patch("tasks.services._record_event", side_effect=slow_first_writer):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert errors == []
    first, second = TaskEvent.objects.filter(
        task=task, action=TaskEvent.Action.STATUS_CHANGED
    ).order_by("id")
    assert first.details["from"] == "todo"
    assert second.details["from"] == first.details["to"]
    task.refresh_from_db()
    assert task.status == second.details["to"]


def replay(events: list[TaskEvent]) -> dict[str, object]:
    """The task's state from its events; each event's "from" must be that state."""
    created, *changes = events
    assert created.action == TaskEvent.Action.CREATED
    state = {
        "title": created.details["title"],
        "status": created.details["status"],
        "priority": created.details["priority"],
        "assigned_to": created.details["assigned_to"],
        "assigned_to_username": created.details["assigned_to_username"],
    }
    for event in changes:
        details = event.details
        if event.action == TaskEvent.Action.UPDATED:
            for name, old in details["from"].items():
                assert state[name] == old, (event.pk, name, state, details)
                state[name] = details["to"][name]
        elif event.action == TaskEvent.Action.STATUS_CHANGED:
            assert state["status"] == details["from"], (event.pk, state, details)
            state["status"] = details["to"]
        else:
            assert event.action == TaskEvent.Action.ASSIGNEE_CHANGED
            before = (state["assigned_to"], state["assigned_to_username"])
            assert before == (details["from"], details["from_username"]), (
                event.pk,
                before,
                details,
            )
            state["assigned_to"] = details["to"]
            state["assigned_to_username"] = details["to_username"]
    return state


THREADS = 4
EDITS_PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_leave_an_event_chain_that_replays_to_the_row(
    postgresql, org_with_roles
):
    org = org_with_roles.organization
    people = [
        org_with_roles.admin,
        org_with_roles.member,
        *(
            MembershipFactory.create(organization=org, user__username=name).user
            for name in ("carol", "dave")
        ),
    ]
    task = create_task(
        actor=people[0],
        organization=org,
        data=TaskInput(title="Contended", assigned_to_id=people[1].pk),
    ).task
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    record_event = services._record_event

    def slow_writer(**kwargs):
        # Each update holds the row lock a moment, so the others queue on it.
        time.sleep(0.01)
        return record_event(**kwargs)

    assignees = [*people, None]
    titles = ["Contended", "Renamed", "Again"]
    statuses = ["todo", "in_progress", "done"]

    def edit(thread: int) -> None:
        try:
            # Every edit starts from the same stale instance, as requests would.
            stale = Task.objects.get(pk=task.pk)
            barrier.wait(timeout=5)
            for n in range(EDITS_PER_THREAD):
                # Each thread walks the values in its own order.
                assignee = assignees[(2 * thread + n) % len(assignees)]
                update_task(
                    actor=people[(thread + n) % len(people)],
                    task=stale,
                    data=TaskInput(
                        title=titles[(thread + 2 * n) % len(titles)],
                        status=statuses[(thread * n + n) % len(statuses)],
                        priority=(thread + 3 * n) % 4 + 1,
                        assigned_to_id=assignee.pk if assignee else None,
                    ),
                )
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(THREADS)]
    with mock.patch("tasks.services._record_event", side_effect=slow_writer):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []

    events = list(TaskEvent.objects.filter(task=task).order_by("id"))
    assert len(events) > THREADS  # the edits did overlap and change things
    state = replay(events)
    task.refresh_from_db()
    assert state == {
        "title": task.title,
        "status": task.status,
        "priority": task.priority,
        "assigned_to": task.assigned_to_id,
        "assigned_to_username": (
            task.assigned_to.username if task.assigned_to else None
        ),
    }
