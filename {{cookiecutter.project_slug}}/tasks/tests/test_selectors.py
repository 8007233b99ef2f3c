"""Selectors: scoping to one organization, the shared filters, the CSV rows."""

from datetime import date

import pytest
from django.http import Http404

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


def test_task_qs_for_org_is_scoped_and_newest_first(org_with_roles, tasks):
    TaskFactory.create(title="Elsewhere")
    qs = selectors.task_qs_for_org(organization=org_with_roles.organization)
    assert ids(qs) == [tasks["budget"].pk, tasks["photos"].pk, tasks["intro"].pk]


def test_task_qs_joins_the_people_in_one_query(
    org_with_roles, tasks, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = list(selectors.task_qs_for_org(organization=org_with_roles.organization))
        names = [(t.assigned_to, t.created_by, t.updated_by) for t in rows]
    assert names[-1][0] == org_with_roles.member


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["budget", "photos", "intro"]),
        ({"q": "  intro "}, ["photos", "intro"]),
        ({"status": "done"}, ["photos"]),
        ({"priority": 3}, ["intro"]),
        ({"assigned_to": "me"}, ["intro"]),
        ({"assigned_to": "none"}, ["budget"]),
        ({"assigned_to": "alice"}, []),
        ({"q": "intro", "status": "todo"}, ["intro"]),
    ],
)
def test_filter_tasks(org_with_roles, tasks, filters, expected):
    qs = selectors.filter_tasks(
        qs=selectors.task_qs_for_org(organization=org_with_roles.organization),
        actor=org_with_roles.member,
        **filters,
    )
    assert ids(qs) == [tasks[name].pk for name in expected]


def test_filter_tasks_by_user_id(org_with_roles, tasks):
    qs = selectors.filter_tasks(
        qs=selectors.task_qs_for_org(organization=org_with_roles.organization),
        actor=org_with_roles.member,
        assigned_to=org_with_roles.admin.pk,
    )
    assert ids(qs) == [tasks["photos"].pk]


def test_tasks_for_listing_applies_the_filters(org_with_roles, tasks):
    qs = selectors.tasks_for_listing(
        organization=org_with_roles.organization,
        actor=org_with_roles.admin,
        filters=TaskFilters(assigned_to="me"),
    )
    assert ids(qs) == [tasks["photos"].pk]


def test_get_task_for_org_or_404(org_with_roles, tasks):
    org = org_with_roles.organization
    task = selectors.get_task_for_org_or_404(
        organization=org, task_id=tasks["intro"].pk
    )
    assert task == tasks["intro"]
    foreign = TaskFactory.create()
    with pytest.raises(Http404):
        selectors.get_task_for_org_or_404(organization=org, task_id=foreign.pk)
    with pytest.raises(Http404):
        selectors.get_task_for_org_or_404(organization=org, task_id=999_999)


def test_events_for_task_newest_first_with_actors(
    org_with_roles, tasks, django_assert_num_queries
):
    task = tasks["intro"]
    first = TaskEventFactory.create(task=task, actor=org_with_roles.admin)
    second = TaskEventFactory.create(
        task=task, actor=org_with_roles.member, action=TaskEvent.Action.UPDATED
    )
    TaskEventFactory.create(task=tasks["photos"])
    with django_assert_num_queries(1):
        events = list(selectors.events_for_task(task=task))
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


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = fine", "plain = fine"),
        ("", ""),
        (None, ""),
        (-3, "-3"),
        (date(2030, 1, 31), "2030-01-31"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert selectors.spreadsheet_safe(value) == expected


def test_task_csv_rows(org_with_roles):
    task = TaskFactory.create(
        organization=org_with_roles.organization,
        title='=HYPERLINK("http://evil")',
        description="@ping",
        assigned_to=org_with_roles.member,
        created_by=org_with_roles.admin,
        due_date=date(2030, 1, 31),
        priority=4,
    )
    rows = list(
        selectors.task_csv_rows(
            qs=selectors.task_qs_for_org(organization=org_with_roles.organization)
        )
    )
    assert rows[0] == list(selectors.CSV_HEADER)
    assert rows[1] == [
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


def test_task_titles_for_org(org_with_roles, tasks):
    titles = selectors.task_titles_for_org(organization=org_with_roles.organization)
    assert titles == {"Write the intro", "Photos", "Budget"}
