"""The task pages as people use them: a redirect, a 404, a 403, or the page.

Behavior tests: they go through the URLs only (arranging data with the
factories), so they hold whatever the code behind the views looks like. Query
counts are in ``test_queries.py``, the views' use of the services in
``test_wiring.py``.
"""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from orgs.tests.factories import MembershipFactory
from tasks.models import Task, TaskEvent
from tasks.tests.authorization import member_may
from tasks.tests.factories import TaskEventFactory, TaskFactory

pytestmark = pytest.mark.django_db

# (url name, needs a task id, method) for every tasks URL and allowed method.
ENDPOINTS = [
    ("tasks:list", False, "get"),
    ("tasks:export", False, "get"),
    ("tasks:create", False, "get"),
    ("tasks:create", False, "post"),
    ("tasks:detail", True, "get"),
    ("tasks:edit", True, "get"),
    ("tasks:edit", True, "post"),
    ("tasks:delete", True, "get"),
    ("tasks:delete", True, "post"),
]
TASK_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint[1]]
# What a plain member may do with a task someone else created for someone else:
# the table the API's tests read too.
MEMBER_ALLOWED = {
    (name, method)
    for name, _, method in ENDPOINTS
    if member_may(name.removeprefix("tasks:"))
}
# Disallowed methods: these views answer 405 whoever asks.
WRONG_METHODS = [
    ("tasks:list", False, "post"),
    ("tasks:export", False, "post"),
    ("tasks:detail", True, "post"),
    ("tasks:detail", True, "delete"),
]
VALID_POST = {"title": "Posted", "status": "done", "priority": "2", "assigned_to": ""}


def url(name, org_slug="acme", task=None, query=""):
    kwargs = {"org_slug": org_slug}
    if task is not None:
        kwargs["task_id"] = task.pk
    return reverse(name, kwargs=kwargs) + query


@pytest.fixture
def task(org_with_roles):
    """Created by alice (admin), assigned to nobody: bob may only look."""
    return TaskFactory.create(
        organization=org_with_roles.organization,
        title="Alice's task",
        description="Secret plans",
        created_by=org_with_roles.admin,
    )


def call(client, name, needs_task, method, task, **kwargs):
    path = url(name, task=task if needs_task else None, **kwargs)
    data = VALID_POST if method == "post" else None
    return getattr(client, method)(path, data)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# the authorization matrix -------------------------------------------------


@pytest.mark.parametrize(("name", "needs_task", "method"), ENDPOINTS + WRONG_METHODS)
def test_anonymous_is_sent_to_log_in(
    client, django_assert_num_queries, name, needs_task, method
):
    kwargs = {"org_slug": "acme", "task_id": 1} if needs_task else {"org_slug": "acme"}
    path = reverse(name, kwargs=kwargs)
    with django_assert_num_queries(0):  # refused before any lookup
        response = getattr(client, method)(path)
    assertRedirects(
        response, f"/accounts/login/?next={path}", fetch_redirect_response=False
    )


@pytest.mark.parametrize(("name", "needs_task", "method"), ENDPOINTS)
def test_non_member_gets_404(client, org_with_roles, task, name, needs_task, method):
    client.force_login(org_with_roles.outsider)
    response = call(client, name, needs_task, method, task)
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "Alice", status_code=404)
    assert Task.objects.count() == 1
    task.refresh_from_db()
    assert task.title == "Alice's task"


@pytest.mark.parametrize(("name", "needs_task", "method"), ENDPOINTS)
def test_member_gets_what_the_policy_allows(
    client, org_with_roles, task, name, needs_task, method
):
    client.force_login(org_with_roles.member)
    response = call(client, name, needs_task, method, task)
    if (name, method) in MEMBER_ALLOWED:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403
        task.refresh_from_db()
        assert (task.title, task.status) == ("Alice's task", "todo")


@pytest.mark.parametrize(("name", "needs_task", "method"), ENDPOINTS)
def test_admin_may_do_everything(
    client, org_with_roles, task, name, needs_task, method
):
    client.force_login(org_with_roles.admin)
    response = call(client, name, needs_task, method, task)
    assert response.status_code == (302 if method == "post" else 200)


@pytest.mark.parametrize(("name", "needs_task", "method"), TASK_ENDPOINTS)
@pytest.mark.parametrize("who", ["admin", "member"])
def test_a_task_of_another_org_is_404(
    client, org_with_roles, name, needs_task, method, who
):
    foreign = TaskFactory.create(title="Foreign task")
    MembershipFactory.create(
        organization=foreign.organization, user=org_with_roles.admin
    )
    client.force_login(getattr(org_with_roles, who))
    response = call(client, name, needs_task, method, foreign)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Foreign task"


@pytest.mark.parametrize(("name", "needs_task", "method"), WRONG_METHODS)
def test_other_methods_are_405(client, org_with_roles, task, name, needs_task, method):
    client.force_login(org_with_roles.admin)
    path = url(name, task=task if needs_task else None)
    assert getattr(client, method)(path).status_code == 405


@pytest.mark.parametrize("role", ["creator", "assignee"])
def test_member_edits_a_task_they_created_or_were_given(client, org_with_roles, role):
    bob = org_with_roles.member
    task = TaskFactory.create(
        organization=org_with_roles.organization,
        title="Bob's",
        created_by=bob if role == "creator" else org_with_roles.admin,
        assigned_to=bob if role == "assignee" else None,
    )
    client.force_login(bob)
    assert client.get(url("tasks:edit", task=task)).status_code == 200
    response = client.post(
        url("tasks:edit", task=task),
        {"title": "Bob's", "status": "done", "priority": "2", "assigned_to": ""},
    )
    assertRedirects(response, url("tasks:detail", task=task))
    task.refresh_from_db()
    assert (task.status, task.updated_by) == ("done", bob)


# the list -------------------------------------------------------------------


def make_tasks(org_with_roles, count):
    org = org_with_roles.organization
    alice, bob = org_with_roles.admin, org_with_roles.member
    Task.objects.bulk_create(
        Task(
            organization=org,
            title=f"Task {n}",
            status=("todo", "in_progress", "done")[n % 3],
            priority=n % 4 + 1,
            assigned_to=(alice, bob, None)[n % 3],
            created_by=alice,
            updated_by=bob,
        )
        for n in range(count)
    )


def test_list_shows_20_tasks_a_page_and_keeps_the_filters(client, org_with_roles):
    make_tasks(org_with_roles, 45)
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query="?q=Task&page=2"))
    page = response.context["page_obj"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (2, 3, 20)
    assertContains(response, "?q=Task&amp;page=3")
    # Page 1 is the list itself: no page parameter.
    assertContains(response, f'href="{url("tasks:list")}?q=Task"')
    assertContains(response, "45 tasks match these filters.")


def test_a_long_list_counts_to_a_thousand_and_still_pages_to_its_end(
    client, org_with_roles
):
    Task.objects.bulk_create(
        TaskFactory.build(organization=org_with_roles.organization, title=f"T{n}")
        for n in range(1050)
    )
    client.force_login(org_with_roles.member)
    first = client.get(url("tasks:list"))
    assertContains(first, "More than 1000 tasks.")
    assertContains(first, '<span class="muted">Page 1</span>', html=True)
    assert first.context["page_obj"].has_next()
    last = client.get(url("tasks:list", query="?page=53"))
    assert len(last.context["page_obj"].object_list) == 10
    assert not last.context["page_obj"].has_next()
    assert (
        client.get(url("tasks:list", query="?page=60")).context["page_obj"].number == 53
    )


def test_list_links_carry_no_empty_parameter(client, org_with_roles):
    make_tasks(org_with_roles, 45)
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query="?page=&q=&status=&priority="))
    assertContains(response, f'href="{url("tasks:list")}?page=2"')
    assertNotContains(response, "q=&amp;")
    assertNotContains(response, "status=&amp;")


def test_list_counts_without_match_when_only_the_page_is_set(client, org_with_roles):
    make_tasks(org_with_roles, 45)
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query="?page=2"))
    assertContains(response, "45 tasks.")
    assertNotContains(response, "match these filters")


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("0", 1), ("99", 3)])
def test_list_bad_page_is_the_first_and_past_the_end_the_last(
    client, org_with_roles, page, expected
):
    make_tasks(org_with_roles, 45)
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query=f"?page={page}"))
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_list_bad_filters_are_form_errors_and_list_no_task(client, org_with_roles):
    make_tasks(org_with_roles, 3)
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query="?status=archived&priority=9"))
    assertContains(response, "Some filters are not valid", status_code=400)
    assertContains(
        response, "Select a valid choice. archived is not one of", status_code=400
    )
    assert response.context["form"].errors.keys() == {"status", "priority"}
    assert len(response.context["tasks"]) == 0
    assertNotContains(response, "Task 0", status_code=400)
    assertNotContains(response, "has no tasks yet", status_code=400)


def test_list_filters_and_links(client, org_with_roles, task):
    TaskFactory.create(
        organization=org_with_roles.organization,
        title="Bob's own",
        assigned_to=org_with_roles.member,
    )
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list", query="?assigned_to=me"))
    assertContains(response, "Bob&#x27;s own")
    assertNotContains(response, "Alice&#x27;s task")
    assertNotContains(response, url("tasks:export"))  # members may not export
    assertContains(response, url("tasks:create"))


def test_list_row_shows_the_task_escaped(client, org_with_roles):
    task = TaskFactory.create(
        organization=org_with_roles.organization,
        title="<b>Bold</b> & plain",
        status="in_progress",
        priority=4,
        assigned_to=None,
        created_by=org_with_roles.admin,
    )
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:list"))
    row = response.content.decode().split(f'href="{url("tasks:list")}{task.pk}/"')[1]
    row = row.split("</tr>")[0]
    assert row.startswith(">&lt;b&gt;Bold&lt;/b&gt; &amp; plain</a>")
    assert '<span class="badge badge--in_progress">In progress</span>' in row
    assert "<td>Urgent</td>" in row
    assert "<td>—</td><td>—</td>" in row  # no assignee, no due date
    created = task.created_at.date().isoformat()
    assert f'<time datetime="{created}T' in row
    assert f"by {org_with_roles.admin.username}</span>" in row


def test_empty_list(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    response = client.get(url("tasks:list"))
    assertContains(response, "Acme has no tasks yet.")
    assertContains(response, url("tasks:export"))


# the CSV export -------------------------------------------------------------


def export_rows(client, query=""):
    response = client.get(url("tasks:export", query=query))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acme-tasks.csv"'
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=done",
        "?assigned_to=me&priority=3",
        "?q=task+1",
        "?assigned_to=none",
    ],
)
def test_export_rows_are_the_list_rows(client, org_with_roles, query):
    make_tasks(org_with_roles, 30)
    client.force_login(org_with_roles.admin)
    listed = []
    for page in range(1, 3):
        separator = "&" if query else "?"
        response = client.get(url("tasks:list", query=f"{query}{separator}page={page}"))
        if response.context["page_obj"].number == page:
            listed += [task.pk for task in response.context["tasks"]]
    rows = export_rows(client, query)
    assert rows[0][0] == "id"
    assert [int(row[0]) for row in rows[1:]] == listed
    assert listed


def test_export_neutralizes_formula_cells(client, org_with_roles):
    TaskFactory.create(
        organization=org_with_roles.organization,
        title="=cmd|' /C calc'!A0",
        description="+1\nsecond line",
    )
    client.force_login(org_with_roles.admin)
    [header, row] = export_rows(client)
    assert row[header.index("title")] == "'=cmd|' /C calc'!A0"
    assert row[header.index("description")] == "'+1\nsecond line"


def test_export_with_bad_filters_is_400(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    response = client.get(url("tasks:export", query="?status=archived"))
    assertContains(response, "status: Select a valid choice.", status_code=400)


# detail, create, edit, delete ---------------------------------------------


def test_detail_shows_the_history(client, org_with_roles, task):
    client.force_login(org_with_roles.admin)
    client.post(
        url("tasks:edit", task=task),
        {
            **VALID_POST,
            "title": "Renamed",
            "assigned_to": str(org_with_roles.member.pk),
        },
    )
    response = client.get(url("tasks:detail", task=task))
    assertContains(response, "Renamed")
    assertContains(response, "Status: todo → done")
    assertContains(response, "Assignee: unassigned → bob")
    assertContains(response, "Changed title")
    assertContains(response, url("tasks:delete", task=task))


@pytest.mark.parametrize(
    ("changes", "shown", "note"), [(50, 50, False), (51, 50, True)]
)
def test_detail_shows_the_latest_fifty_changes(
    client, org_with_roles, task, changes, shown, note
):
    TaskEventFactory.create_batch(changes, task=task, action="updated")
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:detail", task=task))
    assert len(response.context["events"]) == shown
    assert (b"older ones are kept" in response.content) is note


def test_create_task(client, org_with_roles):
    client.force_login(org_with_roles.member)
    response = client.get(url("tasks:create"))
    assertContains(response, "New task")
    response = client.post(
        url("tasks:create"),
        {
            "title": "Mine",
            "status": "todo",
            "priority": "3",
            "due_date": "2030-01-31",
            "assigned_to": str(org_with_roles.admin.pk),
        },
    )
    task = Task.objects.get()
    assertRedirects(response, url("tasks:detail", task=task))
    assert (task.created_by, task.assigned_to) == (
        org_with_roles.member,
        org_with_roles.admin,
    )
    assert TaskEvent.objects.get().action == "created"
    assert "Task “Mine” created." in messages_of(response)


def test_create_refuses_a_non_member_assignee_with_a_form_error(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    response = client.post(
        url("tasks:create"),
        {**VALID_POST, "assigned_to": str(org_with_roles.outsider.pk)},
    )
    assertContains(response, "Select a valid choice.")
    assert not Task.objects.exists()


def test_edit_without_change_says_so(client, org_with_roles, task):
    client.force_login(org_with_roles.admin)
    response = client.post(
        url("tasks:edit", task=task),
        {
            "title": "Alice's task",
            "description": "Secret plans",
            "status": "todo",
            "priority": "2",
            "assigned_to": "",
        },
    )
    assert "Nothing to save: the task is unchanged." in messages_of(response)
    assert not TaskEvent.objects.exists()


def test_edit_form_starts_from_the_task(client, org_with_roles, task):
    client.force_login(org_with_roles.admin)
    response = client.get(url("tasks:edit", task=task))
    assertContains(response, 'value="Alice&#x27;s task"')
    assertContains(response, "Edit task")


def test_delete_confirms_then_deletes(client, org_with_roles, task):
    client.force_login(org_with_roles.admin)
    response = client.get(url("tasks:delete", task=task))
    assertContains(response, "Delete “Alice&#x27;s task”?")
    assert Task.objects.exists()
    response = client.post(url("tasks:delete", task=task))
    assertRedirects(response, url("tasks:list"))
    assert not Task.objects.exists()
    assert TaskEvent.objects.filter(action="deleted", task=None).count() == 1
    assert "Task “Alice's task” deleted." in messages_of(response)


def test_an_export_is_a_security_event(client, org_with_roles, security_events):
    client.force_login(org_with_roles.admin)
    export_rows(client)

    record = security_events()[-1]
    assert record.event == "csv_export"
    assert record.username == org_with_roles.admin.username
    assert record.organization_id == org_with_roles.organization.pk
