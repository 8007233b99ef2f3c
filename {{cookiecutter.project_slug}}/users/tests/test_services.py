"""Account workflows."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from core.exceptions import ConflictError
from users.models import User
from users.services import (
    change_email,
    delete_account,
    register_user,
    save_user,
    update_profile,
)
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


def test_update_profile_saves_the_name():
    carol = UserFactory.create(username="carol")
    update_profile(actor=carol, user=carol, first_name="Carol", last_name="Danvers")
    stored = User.objects.get(pk=carol.pk)
    assert (stored.first_name, stored.last_name) == ("Carol", "Danvers")


def test_change_email_lowercases_the_new_address():
    carol = UserFactory.create(username="carol")
    change_email(actor=carol, user=carol, email="Carol.New@EXAMPLE.com")
    assert User.objects.get(pk=carol.pk).email == "carol.new@example.com"


def test_change_email_refuses_another_accounts_address():
    UserFactory.create(email="taken@example.com")
    carol = UserFactory.create(username="carol")
    with pytest.raises(ConflictError) as refused:
        change_email(actor=carol, user=carol, email="Taken@example.com")
    assert refused.value.field == "email"
    assert "taken@example.com" in refused.value.message
    assert User.objects.get(pk=carol.pk).email == "carol@example.com"


def test_delete_account_deletes_the_user_and_their_memberships(org_with_roles):
    bob = org_with_roles.member
    delete_account(actor=bob, user=bob)
    assert not User.objects.filter(pk=bob.pk).exists()
    assert org_with_roles.organization.memberships.count() == 1


def test_delete_account_refuses_the_last_admin_and_names_the_organization(
    org_with_roles,
):
    alice = org_with_roles.admin
    with pytest.raises(ConflictError) as refused:
        delete_account(actor=alice, user=alice)
    assert refused.value.message.startswith("You are the last admin of Acme.")
    assert User.objects.filter(pk=alice.pk).exists()
    assert org_with_roles.organization.memberships.count() == 2


def test_delete_account_of_an_admin_who_is_not_the_last_one(org_with_roles):
    org_with_roles.member_membership.role = "admin"
    org_with_roles.member_membership.save()
    alice = org_with_roles.admin
    delete_account(actor=alice, user=alice)
    assert not User.objects.filter(pk=alice.pk).exists()
    assert org_with_roles.organization.memberships.count() == 1
