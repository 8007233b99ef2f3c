"""Selectors: scoping to one organization, the shared filters, the CSV rows."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from orgs.tests.factories import MembershipFactory
from tasks import selectors
from tasks.models import TaskEvent
from tasks.tests.factories import TaskEventFactory, TaskFactory
from tasks.types import TaskFilters

pytestmark = pytest.mark.django_db


def ids(qs):
    return [task.pk for task in qs]


@pytest.fixture
def tasks(org_with_roles):
    org = org_with_roles.organization
    alice, bob = org_with_roles.admin, org_with_roles.member
    return {
        "intro": TaskFactory.create(
            organization=org,
            title="Write the intro",
            assigned_to=bob,
            created_by=alice,
            priority=3,
        ),
        "photos": TaskFactory.create(
            organization=org,
            title="Photos",
            description="Shoot the INTRO pictures",
            status="done",
            assigned_to=alice,
            created_by=bob,
        ),
        "budget": TaskFactory.create(
            organization=org, title="Budget", status="in_progress"
        ),
    }


def list_tasks(org_with_roles, **filters):
    return selectors.list_tasks(
        organization=org_with_roles.organization,
        actor=org_with_roles.member,
        filters=TaskFilters(**filters),
    )


def test_list_tasks_is_scoped_and_newest_first(org_with_roles, tasks):
    TaskFactory.create(title="Elsewhere")
    assert ids(list_tasks(org_with_roles)) == [
        tasks["budget"].pk,
        tasks["photos"].pk,
        tasks["intro"].pk,
    ]


def test_list_tasks_joins_the_people_in_one_query(
    org_with_roles, tasks, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = list(list_tasks(org_with_roles))
        names = [(t.assigned_to, t.created_by) for t in rows]
    alice, bob = org_with_roles.admin, org_with_roles.member
    assert names[-1] == (bob, alice)


def test_get_task_joins_who_changed_it_last_too(
    org_with_roles, tasks, django_assert_num_queries
):
    with django_assert_num_queries(1):
        task = selectors.get_task(
            organization=org_with_roles.organization, task_id=tasks["intro"].pk
        )
        assert task is not None
        names = (task.assigned_to, task.created_by, task.updated_by)
    alice, bob = org_with_roles.admin, org_with_roles.member
    assert names == (bob, alice, alice)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["budget", "photos", "intro"]),
        ({"q": "  intro "}, ["photos", "intro"]),
        ({"status": "done"}, ["photos"]),
        ({"priority": 3}, ["intro"]),
        ({"assigned_to": "me"}, ["intro"]),
        ({"assigned_to": "none"}, ["budget"]),
        ({"q": "intro", "status": "todo"}, ["intro"]),
        ({"status": "in_progress", "assigned_to": "me"}, []),
    ],
)
def test_list_tasks_filters(org_with_roles, tasks, filters, expected):
    assert ids(list_tasks(org_with_roles, **filters)) == [
        tasks[name].pk for name in expected
    ]


def test_list_tasks_by_assignee_id(org_with_roles, tasks):
    mine = list_tasks(org_with_roles, assigned_to=org_with_roles.admin.pk)
    assert ids(mine) == [tasks["photos"].pk]
    assert ids(list_tasks(org_with_roles, assigned_to=999_999)) == []


def test_get_task_is_scoped_to_the_organization(
    org_with_roles, tasks, django_assert_num_queries
):
    org = org_with_roles.organization
    with django_assert_num_queries(1):
        task = selectors.get_task(organization=org, task_id=tasks["intro"].pk)
        assert task is not None
        assert (task.assigned_to, task.created_by) == (
            org_with_roles.member,
            org_with_roles.admin,
        )
    assert task == tasks["intro"]
    foreign = TaskFactory.create()
    assert selectors.get_task(organization=org, task_id=foreign.pk) is None
    assert selectors.get_task(organization=org, task_id=999_999) is None


def test_list_task_events_newest_first_with_actors(
    org_with_roles, tasks, django_assert_num_queries
):
    task = tasks["intro"]
    first = TaskEventFactory.create(task=task, actor=org_with_roles.admin)
    second = TaskEventFactory.create(
        task=task, actor=org_with_roles.member, action=TaskEvent.Action.UPDATED
    )
    TaskEventFactory.create(task=tasks["photos"])
    with django_assert_num_queries(1):
        events = list(selectors.list_task_events(task=task))
        actors = [event.actor.username if event.actor else None for event in events]
    assert events == [second, first]
    assert actors == ["bob", "alice"]


def test_get_member_user(org_with_roles):
    org = org_with_roles.organization
    bob = org_with_roles.member
    assert selectors.get_member_user(organization=org, user_id=bob.pk) == bob
    outsider = org_with_roles.outsider.pk
    assert selectors.get_member_user(organization=org, user_id=outsider) is None
    other = MembershipFactory.create()
    assert selectors.get_member_user(organization=org, user_id=other.user_id) is None


def test_list_task_titles(org_with_roles, tasks):
    TaskFactory.create(title="Elsewhere")
    titles = selectors.list_task_titles(organization=org_with_roles.organization)
    assert titles == {"Write the intro", "Photos", "Budget"}


# the CSV rows ---------------------------------------------------------------


def csv_rows(org_with_roles, chunk_size=100):
    return list(
        selectors.iter_task_csv_rows(
            tasks=list_tasks(org_with_roles), chunk_size=chunk_size
        )
    )


def test_iter_task_csv_rows(org_with_roles):
    task = TaskFactory.create(
        organization=org_with_roles.organization,
        title='=HYPERLINK("http://evil")',
        description="@ping",
        assigned_to=org_with_roles.member,
        created_by=org_with_roles.admin,
        due_date=date(2030, 1, 31),
        priority=4,
    )
    header, row = csv_rows(org_with_roles)
    assert header == [
        "id",
        "title",
        "status",
        "priority",
        "assigned_to",
        "due_date",
        "created_by",
        "created_at",
        "updated_at",
        "description",
    ]
    assert row == [
        str(task.pk),
        '\'=HYPERLINK("http://evil")',
        "todo",
        "4",
        "bob",
        "2030-01-31",
        "alice",
        task.created_at.isoformat(),
        task.updated_at.isoformat(),
        "'@ping",
    ]


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = fine", "plain = fine"),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_quoted(org_with_roles, title, cell):
    TaskFactory.create(organization=org_with_roles.organization, title=title)
    [header, row] = csv_rows(org_with_roles)
    assert row[header.index("title")] == cell


def test_csv_empty_cells_are_empty(org_with_roles):
    TaskFactory.create(organization=org_with_roles.organization, title="Bare")
    [header, row] = csv_rows(org_with_roles)
    empty = ("assigned_to", "due_date", "created_by", "description")
    assert [row[header.index(name)] for name in empty] == ["", "", "", ""]


def test_csv_rows_follow_the_order_of_the_tasks_in_any_chunk_size(
    org_with_roles, tasks
):
    listed = [str(pk) for pk in ids(list_tasks(org_with_roles))]
    for chunk_size in (1, 2, 100):
        rows = csv_rows(org_with_roles, chunk_size=chunk_size)
        assert [row[0] for row in rows[1:]] == listed


def test_assigned_tasks_are_open_ones_of_the_users_organizations_by_due_date(
    org_with_roles,
):
    bob = org_with_roles.member
    org = org_with_roles.organization
    later = TaskFactory.create(
        organization=org, assigned_to=bob, due_date=date(2030, 2, 1)
    )
    sooner = TaskFactory.create(
        organization=org, assigned_to=bob, due_date=date(2030, 1, 1)
    )
    undated = TaskFactory.create(organization=org, assigned_to=bob)
    TaskFactory.create(organization=org, assigned_to=bob, status="done")
    TaskFactory.create(organization=org, assigned_to=org_with_roles.admin)
    TaskFactory.create(assigned_to=bob)  # an organization bob is not in

    assert ids(selectors.list_assigned_tasks(user=bob, limit=10)) == [
        sooner.pk,
        later.pk,
        undated.pk,
    ]
    assert ids(selectors.list_assigned_tasks(user=bob, limit=2)) == [
        sooner.pk,
        later.pk,
    ]
    assert selectors.count_assigned_tasks(user=bob) == 3


def test_nobody_is_assigned_anything_when_anonymous(org_with_roles):
    TaskFactory.create(organization=org_with_roles.organization)
    assert list(selectors.list_assigned_tasks(user=AnonymousUser(), limit=10)) == []
    assert selectors.count_assigned_tasks(user=AnonymousUser()) == 0
