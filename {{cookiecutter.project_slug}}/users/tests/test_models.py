"""The user model, its constraints and its factory."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

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


@pytest.mark.django_db
def test_an_email_address_belongs_to_one_account_whatever_its_case():
    UserFactory.create(email="carol@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory.create(email="Carol@Example.COM")
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_accounts_without_an_email_address_are_allowed():
    UserFactory.create_batch(2, email="")
    assert User.objects.filter(email="").count() == 2
