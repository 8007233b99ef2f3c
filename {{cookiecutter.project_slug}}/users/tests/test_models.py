"""The user model and its factory, without a database."""

from django.contrib.auth import get_user_model

from users.models import User
from users.tests.factories import DEFAULT_PASSWORD, UserFactory


def test_the_project_uses_the_custom_user_model():
    assert get_user_model() is User


def test_user_factory_gives_unique_users_with_a_known_password():
    first, second = UserFactory.build_batch(2)
    assert first.pk is None
    assert first.username != second.username
    assert first.email != second.email
    assert first.has_usable_password()
    assert first.check_password(DEFAULT_PASSWORD)


def test_user_str_is_the_username():
    assert str(User(username="carol")) == "carol"
