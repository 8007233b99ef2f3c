"""Reads about users, each in one query."""

import pytest

from users import selectors
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_is_email_taken_ignores_case(django_assert_num_queries):
    UserFactory.create(email="carol@example.com")
    with django_assert_num_queries(1):
        assert selectors.is_email_taken(email="Carol@Example.COM")
    assert not selectors.is_email_taken(email="dave@example.com")


def test_get_user_by_username():
    carol = UserFactory.create(username="carol")
    assert selectors.get_user(username="carol") == carol
    assert selectors.get_user(username="dave") is None


def test_get_active_user_leaves_out_deactivated_and_missing_accounts(
    django_assert_num_queries,
):
    carol = UserFactory.create()
    gone = UserFactory.create(is_active=False)
    with django_assert_num_queries(1):
        assert selectors.get_active_user(user_id=carol.pk) == carol
    assert selectors.get_active_user(user_id=gone.pk) is None
    assert selectors.get_active_user(user_id=gone.pk + 1000) is None
