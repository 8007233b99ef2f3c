"""The task pages cost the same number of queries for 3 tasks as for 60.

Layer tests: the counts follow from the selectors' one loading strategy and
from fetching the membership with the members in one query.
"""

import pytest

from tasks.tests.factories import TaskFactory
from tasks.tests.test_views import VALID_POST, make_tasks, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [3, 60])
def test_list_queries_do_not_grow_with_the_tasks(
    client, org_with_roles, django_assert_num_queries, count
):
    make_tasks(org_with_roles, count)
    client.force_login(org_with_roles.member)
    # session, user, membership with the members (assignee filter), count, page
    with django_assert_num_queries(5):
        response = client.get(url("tasks:list", query="?priority=2"))
    assert response.status_code == 200
    assert len(response.context["tasks"]) == min(20, (count + 2) // 4)


@pytest.mark.parametrize("count", [3, 60])
def test_export_queries_do_not_grow_with_the_tasks(
    client, org_with_roles, django_assert_num_queries, count
):
    make_tasks(org_with_roles, count)
    client.force_login(org_with_roles.admin)
    # session, user, membership with the members (filter form), the rows
    with django_assert_num_queries(4):
        response = client.get(url("tasks:export"))
        body = b"".join(response.streaming_content)
    assert len(body.decode().splitlines()) == count + 1


def test_detail_queries(client, org_with_roles, django_assert_num_queries):
    task = TaskFactory.create(
        organization=org_with_roles.organization, created_by=org_with_roles.admin
    )
    client.force_login(org_with_roles.admin)
    client.post(
        url("tasks:edit", task=task),
        {**VALID_POST, "assigned_to": str(org_with_roles.member.pk)},
    )
    with django_assert_num_queries(5):  # session, user, membership, task, events
        response = client.get(url("tasks:detail", task=task))
    assert len(response.context["events"]) == 3  # updated, status, assignee
