"""Account workflows."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from core.exceptions import ConflictError
from users.models import User
from users.services import register_user, save_user
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_user_creates_a_user_with_a_hashed_password():
    user = register_user(
        username="carol", email="carol@example.com", password="s3cret-pw!"
    )
    stored = User.objects.get(username="carol")
    assert stored == user
    assert stored.email == "carol@example.com"
    assert stored.has_usable_password()
    assert stored.password != "s3cret-pw!"
    assert identify_hasher(stored.password).algorithm == "md5"
    assert stored.check_password("s3cret-pw!")
    assert not stored.is_staff
    assert not stored.is_superuser


@pytest.mark.parametrize("email", ["taken@example.com", "Taken@EXAMPLE.com"])
def test_register_user_refuses_a_taken_email(email):
    UserFactory.create(username="first", email="taken@example.com")
    with pytest.raises(ConflictError) as refused:
        register_user(username="second", email=email, password="s3cret-pw!")
    assert refused.value.field == "email"
    assert email in refused.value.message
    assert list(User.objects.values_list("username", flat=True)) == ["first"]


def test_register_user_makes_a_superuser_on_request():
    root = register_user(
        username="root",
        email="root@example.com",
        password="s3cret-pw!",
        is_superuser=True,
    )
    assert (root.is_staff, root.is_superuser) == (True, True)


def test_register_user_refuses_a_taken_username():
    UserFactory.create(username="carol")
    with pytest.raises(ConflictError) as refused:
        register_user(username="carol", email="new@example.com", password="pw-123456")
    assert refused.value.field == "username"
    assert refused.value.message == "A user with that username already exists."
    assert User.objects.count() == 1


def test_save_user_saves_the_account():
    root = UserFactory.create(is_superuser=True, is_staff=True)
    dave = UserFactory.create(username="dave")
    dave.first_name = "Dave"
    save_user(actor=root, user=dave)
    assert User.objects.get(pk=dave.pk).first_name == "Dave"


def test_save_user_refuses_another_accounts_email_from_the_database():
    """Whatever the form checked before, the constraint has the last word."""
    root = UserFactory.create(is_superuser=True, is_staff=True)
    UserFactory.create(email="carol@example.com")
    dave = UserFactory.create(username="dave")
    dave.email = "CAROL@example.com"
    with pytest.raises(ConflictError) as refused:
        save_user(actor=root, user=dave)
    assert refused.value.field == "email"
    assert User.objects.get(pk=dave.pk).email == "dave@example.com"
