"""The account admin saves through ``users.services``: one account per address."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from users import forms
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change(admin_client, user, **overrides):
    data = {
        "username": user.username,
        "email": user.email,
        "date_joined_0": "2030-01-01",
        "date_joined_1": "00:00:00",
        "is_active": "on",
    }
    return admin_client.post(
        reverse("admin:users_user_change", args=[user.pk]),
        {**data, **overrides},
        follow=True,
    )


def test_changing_an_email_in_the_admin(admin_client):
    dave = UserFactory.create(username="dave")
    response = change(admin_client, dave, email="Dave.New@Example.com")
    assert response.redirect_chain[-1][1] == 302
    assert User.objects.get(pk=dave.pk).email == "dave.new@example.com"


def test_another_accounts_email_is_a_form_error_on_the_field(admin_client):
    UserFactory.create(email="carol@example.com")
    dave = UserFactory.create(username="dave")
    response = change(admin_client, dave, email="CAROL@example.com")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "An account already uses the e-mail address carol@example.com."
    ]
    assert User.objects.get(pk=dave.pk).email == "dave@example.com"


def test_an_email_taken_after_the_forms_check_is_refused_with_a_message(
    admin_client,
):
    """Another account takes the address between the form's checks and the save."""
    UserFactory.create(email="carol@example.com")
    dave = UserFactory.create(username="dave")
    change_url = reverse("admin:users_user_change", args=[dave.pk])
    with (
        mock.patch.object(forms, "is_email_taken", return_value=False),
        mock.patch.object(User, "validate_constraints"),
    ):
        response = change(admin_client, dave, email="carol@example.com")
    assert response.redirect_chain == [(change_url, 302)]
    errors = [str(m) for m in get_messages(response.wsgi_request)]
    assert errors == ["An account already uses the e-mail address carol@example.com."]
    assertContains(response, "dave@example.com")
    assert User.objects.get(pk=dave.pk).email == "dave@example.com"
