"""Home costs the same number of queries for one organization as for fifteen.

Layer tests: the counts follow from the selectors' one loading strategy.
"""

import pytest
from django.urls import reverse

from articles.tests.factories import ArticleFactory
from orgs.tests.factories import MembershipFactory, OrganizationFactory
from tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [1, 15])
def test_home_queries_do_not_grow_with_the_rows(
    client, org_with_roles, django_assert_num_queries, count
):
    user = org_with_roles.member
    for n in range(count):
        organization = OrganizationFactory.create(name=f"Org {n}", slug=f"org-{n}")
        MembershipFactory.create(organization=organization, user=user)
        TaskFactory.create(organization=organization, assigned_to=user)
        ArticleFactory.create(published=True)
    client.force_login(user)
    # session, user, articles, memberships, tasks (home counts nothing)
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert len(response.context["assigned_tasks"]) == min(count, 10)
    # anonymous: the articles (home shows no tags)
    client.logout()
    with django_assert_num_queries(1):
        client.get(reverse("home"))
