"""The tasks API answers like the task pages: same rules, same rows, in JSON."""

import pytest
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from tasks.models import Task, TaskEvent
from tasks.serializers import TaskSerializer
from tasks.tests.authorization import ALLOWED_ROLES
from tasks.tests.factories import TaskFactory
from tasks.tests.test_views import make_tasks, url

pytestmark = pytest.mark.django_db

VALID_INPUT = {"title": "Posted", "status": "done", "priority": 2, "assigned_to": None}
# (action of the shared table, method, needs a task id, url name)
ENDPOINTS = [
    ("list", "get", False, "tasks-api:list"),
    ("create", "post", False, "tasks-api:list"),
    ("detail", "get", True, "tasks-api:detail"),
    ("detail", "get", True, "tasks-api:events"),
    ("edit", "put", True, "tasks-api:detail"),
    ("delete", "delete", True, "tasks-api:detail"),
]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def task(org_with_roles):
    """Created by alice (admin), assigned to nobody: bob may only look."""
    return TaskFactory.create(
        organization=org_with_roles.organization,
        title="Alice's task",
        created_by=org_with_roles.admin,
    )


def api_url(name, *, task=None, org_slug="acme"):
    kwargs = {"org_slug": org_slug}
    if task is not None:
        kwargs["task_id"] = task.pk
    return reverse(name, kwargs=kwargs)


def call(api, action, method, needs_task, name, task):
    path = api_url(name, task=task if needs_task else None)
    data = VALID_INPUT if method in ("post", "put") else None
    return getattr(api, method)(path, data, format="json")


# the authorization matrix: the pages' table -----------------------------


@pytest.mark.parametrize(("action", "method", "needs_task", "name"), ENDPOINTS)
def test_anonymous_gets_401(api, task, action, method, needs_task, name):
    response = call(api, action, method, needs_task, name, task)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("action", "method", "needs_task", "name"), ENDPOINTS)
def test_non_member_gets_404(
    api, org_with_roles, task, action, method, needs_task, name
):
    api.force_authenticate(org_with_roles.outsider)
    response = call(api, action, method, needs_task, name, task)
    assert response.status_code == 404
    assert "Alice" not in response.content.decode()
    assert Task.objects.get().title == "Alice's task"


@pytest.mark.parametrize("role", ["admin", "member"])
@pytest.mark.parametrize(("action", "method", "needs_task", "name"), ENDPOINTS)
def test_members_get_what_the_table_allows(
    api, org_with_roles, task, role, action, method, needs_task, name
):
    api.force_authenticate(getattr(org_with_roles, role))
    response = call(api, action, method, needs_task, name, task)
    if role in ALLOWED_ROLES[action]:
        assert response.status_code in (200, 201, 204), response.content
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        task.refresh_from_db()
        assert task.title == "Alice's task"


# the list: the page's filters and order -----------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "?priority=2", "?status=done", "?assigned_to=me", "?assigned_to=none", "?q=1"],
)
def test_the_list_has_the_pages_rows_in_its_order(client, api, org_with_roles, query):
    make_tasks(org_with_roles, 12)
    client.force_login(org_with_roles.member)
    api.force_authenticate(org_with_roles.member)
    page = client.get(url("tasks:list", query=query))
    body = api.get(api_url("tasks-api:list") + query).json()
    assert [t["id"] for t in body["results"]] == [t.pk for t in page.context["tasks"]]
    assert body["count"] == page.context["page_obj"].paginator.count


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?status=nope", "status"),
        ("?priority=9", "priority"),
        ("?assigned_to=999999", "assigned_to"),
        ("?q=a%0Ab", "q"),
    ],
)
def test_filters_that_are_not_valid_are_400_naming_the_field(
    api, org_with_roles, query, field
):
    api.force_authenticate(org_with_roles.member)
    response = api.get(api_url("tasks-api:list") + query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize("count", [10, 1000])
def test_list_queries_do_not_grow_with_the_tasks(
    api, org_with_roles, django_assert_num_queries, count
):
    organization = org_with_roles.organization
    Task.objects.bulk_create(
        Task(organization=organization, title=f"T{n}", assigned_to=org_with_roles.admin)
        for n in range(count)
    )
    api.force_authenticate(org_with_roles.member)
    with django_assert_num_queries(3):  # membership with the members, count, page
        response = api.get(api_url("tasks-api:list"))
    assert len(response.json()["results"]) == min(count, 20)


@pytest.mark.parametrize("count", [10, 1000])
def test_event_queries_do_not_grow_with_the_events(
    api, org_with_roles, task, django_assert_num_queries, count
):
    TaskEvent.objects.bulk_create(
        TaskEvent(
            organization=task.organization,
            task=task,
            actor=org_with_roles.admin,
            action=TaskEvent.Action.UPDATED,
        )
        for _ in range(count)
    )
    api.force_authenticate(org_with_roles.member)
    with django_assert_num_queries(4):  # membership, task, count, page
        response = api.get(api_url("tasks-api:events", task=task))
    assert response.json()["count"] == count


# writes: the services' rules, the envelope ---------------------------------


def test_create_records_the_event_and_answers_the_task(api, org_with_roles):
    api.force_authenticate(org_with_roles.member)
    response = api.post(
        api_url("tasks-api:list"),
        {**VALID_INPUT, "assigned_to": org_with_roles.admin.pk, "title": "  Ship  "},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "Ship"
    assert body["assigned_to"] == {"id": org_with_roles.admin.pk, "username": "alice"}
    task = Task.objects.get()
    assert TaskEvent.objects.get(task=task).action == "created"


def test_an_assignee_from_outside_is_refused_by_the_service(api, org_with_roles):
    api.force_authenticate(org_with_roles.member)
    response = api.post(
        api_url("tasks-api:list"),
        {**VALID_INPUT, "assigned_to": org_with_roles.outsider.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert response.json()["errors"][0]["field"] == "assigned_to"
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"title": ""}, "title", "blank"),
        ({"title": "x" * 201}, "title", "max_length"),
        ({"title": "a\nb"}, "title", "single_line"),
        ({"title": "ok", "priority": 9}, "priority", "invalid_choice"),
        ({"title": "ok", "due_date": "2030-02-30"}, "due_date", "invalid"),
        ({"title": "ok", "assigned_to": 2**63}, "assigned_to", "max_value"),
    ],
)
def test_invalid_input_is_400_naming_field_and_rule(
    api, org_with_roles, data, field, code
):
    api.force_authenticate(org_with_roles.member)
    response = api.post(api_url("tasks-api:list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": field,
            "code": code,
            "message": response.json()["errors"][0]["message"],
        }
    ]
    assert not Task.objects.exists()


def test_an_update_from_a_stale_version_is_409_and_writes_nothing(
    api, org_with_roles, task
):
    api.force_authenticate(org_with_roles.admin)
    version = api.get(api_url("tasks-api:detail", task=task)).json()["version"]
    Task.objects.filter(pk=task.pk).update(title="Changed meanwhile")
    response = api.put(
        api_url("tasks-api:detail", task=task),
        {**VALID_INPUT, "version": version},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "title" in response.json()["message"]
    task.refresh_from_db()
    assert task.title == "Changed meanwhile"


def test_update_and_delete_keep_the_history(api, org_with_roles, task):
    api.force_authenticate(org_with_roles.admin)
    path = api_url("tasks-api:detail", task=task)
    assert api.put(path, VALID_INPUT, format="json").status_code == 200
    events = api.get(api_url("tasks-api:events", task=task)).json()["results"]
    assert {e["action"] for e in events} >= {"updated", "status_changed"}
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert TaskEvent.objects.filter(action="deleted").count() == 1


def test_a_task_is_written_as_drf_writes_its_declared_fields(org_with_roles):
    tasks = [
        TaskFactory.create(organization=org_with_roles.organization),
        TaskFactory.create(
            organization=org_with_roles.organization,
            assigned_to=org_with_roles.member,
            due_date="2030-01-31",
        ),
    ]
    for task in Task.objects.filter(pk__in=[t.pk for t in tasks]):
        serializer = TaskSerializer(task)
        expected = serializers.Serializer.to_representation(serializer, task)
        assert serializer.data == expected
        assert list(serializer.data) == list(serializer.fields)
