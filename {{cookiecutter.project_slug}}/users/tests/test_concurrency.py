"""Sign-ups that race for one e-mail address or one username never answer 500.

The services check first and then insert; an account committed by someone
else between the two is refused by the database's unique constraints, and
the loser gets the usual form error. Each race is simulated deterministically
(the competing account appears right after the service's check), then run
for real in threads on PostgreSQL (the ``postgresql`` fixture): SQLite writes
one at a time, so two inserts never race there.
"""

from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from core.exceptions import ConflictError
from users import services, views
from users.models import User
from users.services import register_user
from users.tests.factories import UserFactory
from users.tests.races import at_once, checked_too_early

PASSWORD = "a-long-unusual-passphrase-42"
THREADS = 4


def email_checked_too_early():
    """The service's e-mail check answers as if it had looked just before a
    competing sign-up committed."""
    free = checked_too_early(services.is_email_taken, answer=False)
    return mock.patch.object(services, "is_email_taken", side_effect=free)


def competitor_signs_up_meanwhile(**competitor: str):
    """``competitor`` commits after the form's checks and the service's."""
    register = views.register_user

    def racing(**kwargs: Any) -> User:
        UserFactory.create(**competitor)
        with email_checked_too_early():
            return register(**kwargs)

    return mock.patch.object(views, "register_user", side_effect=racing)


def sign_up(client, **overrides: str):
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("signup"), {**data, **overrides})


# the race, simulated ----------------------------------------------------------


@pytest.mark.django_db
def test_a_sign_up_that_loses_the_race_for_an_email_shows_the_error(client):
    with competitor_signs_up_meanwhile(username="first", email="Carol@x.org"):
        response = sign_up(client, email="carol@x.org")
    assertContains(response, "An account already uses the e-mail address carol@x.org.")
    assert response.context["form"].errors["email"]
    assert list(User.objects.values_list("username", flat=True)) == ["first"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_sign_up_that_loses_the_race_for_a_username_shows_the_error(client):
    with competitor_signs_up_meanwhile(username="carol", email="first@x.org"):
        response = sign_up(client)
    assertContains(response, "A user with that username already exists.")
    assert response.context["form"].errors["username"]
    assert list(User.objects.values_list("email", flat=True)) == ["first@x.org"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_register_user_turns_the_lost_race_into_a_conflict_on_the_field():
    UserFactory.create(username="first", email="carol@x.org")
    with email_checked_too_early(), pytest.raises(ConflictError) as refused:
        register_user(username="carol", email="CAROL@x.org", password=PASSWORD)
    assert refused.value.field == "email"
    assert refused.value.message == (
        "An account already uses the e-mail address CAROL@x.org."
    )
    assert User.objects.count() == 1


# the race, for real -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sign_ups_with_one_email_at_once_make_one_account(postgresql):
    def sign_up_as(n: int) -> User:
        return register_user(
            username=f"user{n}",
            email=f"Carol@{'EXAMPLE' if n % 2 else 'example'}.com",
            password=PASSWORD,
        )

    free = checked_too_early(services.is_email_taken, answer=False)
    with mock.patch.object(services, "is_email_taken", side_effect=free):
        created, errors = at_once(sign_up_as, threads=THREADS)
    assert len(created) == 1 == User.objects.count()
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ConflictError) for error in errors), errors
    assert {getattr(error, "field", None) for error in errors} == {"email"}


@pytest.mark.django_db(transaction=True)
def test_sign_ups_with_one_username_at_once_make_one_account(postgresql):
    def sign_up_as(n: int) -> User:
        return register_user(
            username="carol", email=f"carol{n}@example.com", password=PASSWORD
        )

    created, errors = at_once(sign_up_as, threads=THREADS)
    assert len(created) == 1 == User.objects.count()
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, ConflictError) for error in errors), errors
    assert {getattr(error, "field", None) for error in errors} == {"username"}
