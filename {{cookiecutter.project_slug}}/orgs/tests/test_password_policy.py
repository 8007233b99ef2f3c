"""Passwords that contain the name of one of the user's organizations are refused."""

import pytest

from orgs.tests.factories import MembershipFactory
from users.tests.factories import UserFactory
from users.tests.test_password_policy import refusals

pytestmark = pytest.mark.django_db


def test_the_name_of_one_of_the_users_organizations_is_refused():
    membership = MembershipFactory.create(organization__name="Night Desk")

    assert refusals("NightDesk-2024!", membership.user) == ["password_has_context_word"]
    assert refusals("NightDesk-2024!", UserFactory.create()) == []


def test_a_short_organization_name_is_refused_only_as_the_whole_password():
    membership = MembershipFactory.create(organization__name="Ox")

    assert refusals("ox-and-a-long-tail-42", membership.user) == []
