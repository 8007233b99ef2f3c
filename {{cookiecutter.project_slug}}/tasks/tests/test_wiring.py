"""The task views hand the work to the layers and show what they answer.

Layer tests: they replace a service to check how the view reacts to it.
"""

import pytest

from core.exceptions import DomainError
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
