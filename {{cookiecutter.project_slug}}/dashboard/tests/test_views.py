"""Home and "my tasks": a person's work across their organizations.

Behavior tests through the URLs, with the data made by the apps' factories.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.tests.factories import ArticleFactory
from orgs.tests.factories import MembershipFactory, OrganizationFactory
from tasks.models import Task
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def task_url(task):
    return reverse(
        "tasks:detail",
        kwargs={"org_slug": task.organization.slug, "task_id": task.pk},
    )


@pytest.fixture
def two_orgs(org_with_roles):
    """Bob is a member of Acme and of Globex; each has a task of his."""
    globex = OrganizationFactory.create(name="Globex", slug="globex")
    MembershipFactory.create(organization=globex, user=org_with_roles.member)
    today = timezone.localdate()
    return {
        "acme": TaskFactory.create(
            organization=org_with_roles.organization,
            title="Acme later",
            assigned_to=org_with_roles.member,
            due_date=today + timedelta(days=9),
        ),
        "globex": TaskFactory.create(
            organization=globex,
            title="Globex overdue",
            assigned_to=org_with_roles.member,
            due_date=today - timedelta(days=1),
            status=Task.Status.IN_PROGRESS,
        ),
        "undated": TaskFactory.create(
            organization=globex,
            title="Globex undated",
            assigned_to=org_with_roles.member,
        ),
    }


def test_anonymous_home_says_what_the_site_is_and_lists_published_articles(client):
    ArticleFactory.create(title="Out in the open", published=True)
    ArticleFactory.create(title="Still a draft")
    response = client.get(reverse("home"))
    assertContains(response, "Read the published articles")
    assertContains(response, "Out in the open")
    assertNotContains(response, "Still a draft")
    assertContains(response, reverse("signup"))
    assertNotContains(response, reverse("my_tasks"))


def test_home_lists_the_persons_organizations_and_open_tasks_across_them(
    client, org_with_roles, two_orgs
):
    TaskFactory.create(
        organization=org_with_roles.organization,
        title="Finished already",
        assigned_to=org_with_roles.member,
        status=Task.Status.DONE,
    )
    TaskFactory.create(
        organization=org_with_roles.organization,
        title="Alice's own",
        assigned_to=org_with_roles.admin,
    )
    client.force_login(org_with_roles.member)
    response = client.get(reverse("home"))
    html = response.content.decode()
    # The nearest due date first (overdue on top), undated ones last.
    titles = ["Globex overdue", "Acme later", "Globex undated"]
    assert [html.index(title) for title in titles] == sorted(
        html.index(title) for title in titles
    )
    for task in two_orgs.values():
        assertContains(response, f'href="{task_url(task)}"')
    assertContains(response, "Overdue")
    assertNotContains(response, "Finished already")
    assertNotContains(response, "Alice&#x27;s own")
    assertContains(response, reverse("orgs:detail", kwargs={"org_slug": "globex"}))
    assertContains(response, reverse("tasks:list", kwargs={"org_slug": "acme"}))


def test_a_task_of_an_organization_the_person_left_is_not_theirs_any_more(
    client, org_with_roles
):
    TaskFactory.create(
        organization=org_with_roles.organization,
        title="Left behind",
        assigned_to=org_with_roles.member,
    )
    org_with_roles.member_membership.delete()
    client.force_login(org_with_roles.member)
    assertNotContains(client.get(reverse("home")), "Left behind")
    assertNotContains(client.get(reverse("my_tasks")), "Left behind")


def _assign_tasks(org_with_roles, count):
    for n in range(count):
        TaskFactory.create(
            organization=org_with_roles.organization,
            title=f"Mine {n:02}",
            assigned_to=org_with_roles.member,
        )
    return org_with_roles.member


@pytest.mark.parametrize(
    ("count", "link", "no_link"),
    [
        (12, "See all your open tasks", "Your tasks by organization"),
        (10, "Your tasks by organization", "See all your open tasks"),
    ],
)
def test_home_shows_ten_tasks_and_links_to_the_rest(
    client, org_with_roles, count, link, no_link
):
    client.force_login(_assign_tasks(org_with_roles, count))
    response = client.get(reverse("home"))
    assert len(response.context["assigned_tasks"]) == 10
    assertContains(response, link)
    assertNotContains(response, no_link)


def test_my_tasks_counts_and_lists_them_all(client, org_with_roles):
    client.force_login(_assign_tasks(org_with_roles, 12))
    response = client.get(reverse("my_tasks"))
    assert len(response.context["assigned_tasks"]) == 12
    assertContains(response, "12 open tasks assigned to you")


def test_my_tasks_needs_a_log_in(client):
    path = reverse("my_tasks")
    assertRedirects(
        client.get(path), f"/accounts/login/?next={path}", fetch_redirect_response=False
    )


def test_my_tasks_is_in_the_navigation_and_picks_an_organization(
    client, org_with_roles, two_orgs
):
    client.force_login(org_with_roles.member)
    response = client.get(reverse("my_tasks"))
    assertContains(
        response, f'<a href="{reverse("my_tasks")}" aria-current="page">My tasks</a>'
    )
    for slug in ("acme", "globex"):
        tasks_url = reverse("tasks:list", kwargs={"org_slug": slug})
        assertContains(response, f'href="{tasks_url}?assigned_to=me"')
    assertContains(response, "Globex overdue")


def test_without_organizations_the_home_offers_to_create_one(client, org_with_roles):
    client.force_login(org_with_roles.outsider)
    response = client.get(reverse("home"))
    assertContains(response, "You belong to no organization yet")
    assertContains(response, "No open task is assigned to you.")
    assertContains(response, reverse("orgs:create"))
