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
