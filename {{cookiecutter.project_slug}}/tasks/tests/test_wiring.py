"""The task views hand the work to the layers and show what they answer.

Layer tests: they replace a service to check how the view reacts to it.
"""

import pytest
from django.contrib.messages import get_messages

from core.exceptions import ConflictError, DomainError
from tasks import views
from tasks.tests.factories import TaskFactory
from tasks.tests.test_views import VALID_POST, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(org_with_roles):
    return TaskFactory.create(
        organization=org_with_roles.organization,
        title="Alice's task",
        created_by=org_with_roles.admin,
    )


def test_edit_shows_the_service_refusal_on_the_field(
    client, org_with_roles, task, monkeypatch
):
    def refuse(**kwargs):
        raise DomainError("The assignee must be a member of Acme.", field="assigned_to")

    monkeypatch.setattr(views, "update_task", refuse)
    client.force_login(org_with_roles.admin)
    response = client.post(url("tasks:edit", task=task), VALID_POST)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "assigned_to": ["The assignee must be a member of Acme."]
    }


def test_a_stale_edit_is_409_with_the_input_kept_and_the_version_renewed(
    client, org_with_roles, task
):
    alice, bob = org_with_roles.admin, org_with_roles.member
    client.force_login(alice)
    form = client.get(url("tasks:edit", task=task)).context["form"]
    seen = form["version"].value()
    client.force_login(bob)
    task.created_by = bob
    task.save()
    client.post(url("tasks:edit", task=task), {**VALID_POST, "title": "Bob's title"})

    client.force_login(alice)
    mine = {**VALID_POST, "title": "Alice's title", "version": seen}
    response = client.post(url("tasks:edit", task=task), mine)
    assert response.status_code == 409
    form = response.context["form"]
    assert form.non_field_errors() == [
        "This task changed while you were editing it: its title and status (last "
        "saved by bob). Nothing was saved, and your changes are kept below: save "
        "again to overwrite the task with them."
    ]
    assert form["title"].value() == "Alice's title"
    task.refresh_from_db()
    assert task.title == "Bob's title"

    # Saving again, now knowing, replaces bob's values.
    again = client.post(
        url("tasks:edit", task=task), {**mine, "version": form["version"].value()}
    )
    assert again.status_code == 302
    task.refresh_from_db()
    assert task.title == "Alice's title"


def test_editing_a_task_deleted_meanwhile_goes_back_to_the_list(
    client, org_with_roles, task, monkeypatch
):
    def deleted_meanwhile(**kwargs):
        task.delete()
        raise ConflictError("The task “Alice's task” was deleted meanwhile.")

    monkeypatch.setattr(views, "update_task", deleted_meanwhile)
    client.force_login(org_with_roles.admin)
    response = client.post(url("tasks:edit", task=task), VALID_POST)
    assert response.status_code == 302
    assert response["Location"] == url("tasks:list")


def test_deleting_a_task_deleted_meanwhile_says_so(
    client, org_with_roles, task, monkeypatch
):
    def deleted_meanwhile(**kwargs):
        raise ConflictError("The task “Alice's task” was deleted meanwhile.")

    monkeypatch.setattr(views, "delete_task", deleted_meanwhile)
    client.force_login(org_with_roles.admin)
    response = client.post(url("tasks:delete", task=task))
    assert response["Location"] == url("tasks:list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The task “Alice's task” was deleted meanwhile."
    ]
