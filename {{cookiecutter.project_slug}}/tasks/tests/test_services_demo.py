"""The demo data goes through the services and can be seeded twice."""

import pytest

from tasks.models import Task, TaskEvent
from tasks.services_demo import seed_tasks_demo

pytestmark = pytest.mark.django_db


def test_seed_tasks_demo_is_idempotent_and_writes_events(org_with_roles):
    seed = {
        "organization": org_with_roles.organization,
        "admin": org_with_roles.admin,
        "member": org_with_roles.member,
    }
    created = seed_tasks_demo(**seed)
    assert created == Task.objects.count() == 5
    actions = list(TaskEvent.objects.values_list("action", flat=True))
    assert actions.count("created") == 5
    assert "status_changed" in actions
    assert "assignee_changed" in actions
    handed_over = Task.objects.get(title="Plan the photo shoot")
    assert (handed_over.assigned_to, handed_over.status) == (
        org_with_roles.admin,
        "done",
    )

    assert seed_tasks_demo(**seed) == 0
    assert Task.objects.count() == 5
    assert TaskEvent.objects.count() == len(actions)
