"""The admin writes through the services; the audit trail is read-only."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tasks.models import Task, TaskEvent
from tasks.services import create_task
from tasks.types import TaskInput

pytestmark = pytest.mark.django_db


def form_data(org_with_roles, **changes):
    return {
        "organization": org_with_roles.organization.pk,
        "title": "From the admin",
        "description": "",
        "status": "todo",
        "priority": "2",
        "assigned_to": org_with_roles.member.pk,
        "due_date": "",
        **changes,
    }


def test_adding_a_task_in_the_admin_records_its_event(
    admin_client, superuser, org_with_roles
):
    response = admin_client.post(
        reverse("admin:tasks_task_add"), form_data(org_with_roles)
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.created_by, task.assigned_to) == (superuser, org_with_roles.member)
    event = TaskEvent.objects.get()
    assert (event.task, event.actor, event.action) == (task, superuser, "created")


def test_changing_a_task_in_the_admin_records_the_status_change(
    admin_client, superuser, org_with_roles
):
    task = create_task(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        data=TaskInput(title="From the admin", assigned_to_id=org_with_roles.member.pk),
    ).task
    response = admin_client.post(
        reverse("admin:tasks_task_change", args=[task.pk]),
        form_data(org_with_roles, status="done"),
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.updated_by) == ("done", superuser)
    event = TaskEvent.objects.get(action="status_changed")
    assert event.details == {"from": "todo", "to": "done"}


def test_assigning_a_non_member_in_the_admin_is_refused(admin_client, org_with_roles):
    add_url = reverse("admin:tasks_task_add")
    response = admin_client.post(
        add_url,
        form_data(org_with_roles, assigned_to=org_with_roles.outsider.pk),
        follow=True,
    )
    assert response.redirect_chain == [(add_url, 302)]
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert errors == ["The assignee must be a member of Acme."]
    assert not Task.objects.exists()


def test_deleting_a_task_in_the_admin_keeps_its_trail(admin_client, org_with_roles):
    task = create_task(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        data=TaskInput(title="Doomed"),
    ).task
    response = admin_client.post(
        reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Task.objects.exists()
    assert sorted(TaskEvent.objects.values_list("action", flat=True)) == [
        "created",
        "deleted",
    ]


def test_events_are_read_only_and_the_pages_render(admin_client, org_with_roles):
    task = create_task(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        data=TaskInput(title="Seen"),
    ).task
    event = TaskEvent.objects.get()
    for name, args in [
        ("admin:tasks_task_changelist", []),
        ("admin:tasks_task_add", []),
        ("admin:tasks_task_change", [task.pk]),
        ("admin:tasks_taskevent_changelist", []),
        ("admin:tasks_taskevent_change", [event.pk]),
    ]:
        response = admin_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    assert admin_client.get(reverse("admin:tasks_taskevent_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:tasks_taskevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert TaskEvent.objects.filter(pk=event.pk).exists()


def test_bulk_deleting_tasks_in_the_admin_goes_through_the_service(
    admin_client, superuser, org_with_roles
):
    tasks = [
        create_task(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            data=TaskInput(title=title),
        ).task
        for title in ("One", "Two")
    ]
    response = admin_client.post(
        reverse("admin:tasks_task_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [task.pk for task in tasks],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Task.objects.exists()
    deleted = TaskEvent.objects.filter(action="deleted", actor=superuser)
    assert sorted(event.details["title"] for event in deleted) == ["One", "Two"]
