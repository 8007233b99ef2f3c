"""Two concurrent updates of one task leave a consistent history (PostgreSQL)."""

import threading
import time
from unittest import mock

import pytest
from django.db import connections

from tasks import services
from tasks.models import Task, TaskEvent
from tasks.services import create_task, update_task
from tasks.tests.services_required import require_postgresql
from tasks.types import TaskInput


@pytest.mark.django_db(transaction=True)
def test_concurrent_status_updates_chain_their_events(org_with_roles):
    require_postgresql("row locks with select_for_update")
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
