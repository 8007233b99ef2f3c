"""Sign-up, log-in, log-out and the home page."""

import pytest
from django.conf import settings
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from users.models import User
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-42"


def signup_data(**overrides):
    values = {
        "username": "carol",
        "email": "Carol@Example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    values.update(overrides)
    return values


def test_home_page_for_anonymous_users(client):
    response = client.get(reverse("home"))
    assertContains(response, settings.PROJECT_NAME)
    assertContains(response, reverse("signup"))
    assertContains(response, reverse("login"))


def test_home_page_for_signed_in_users(client):
    client.force_login(UserFactory.create(username="carol"))
    response = client.get(reverse("home"))
    assertContains(response, settings.PROJECT_NAME)
    assertContains(response, "carol")
    assertContains(response, reverse("logout"))
    assertNotContains(response, reverse("signup"))


def test_sign_up_page_renders(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert "email" in response.context["form"].fields


def test_sign_up_creates_the_user_and_signs_them_in(client):
    response = client.post(reverse("signup"), signup_data())
    assertRedirects(response, reverse("home"))
    user = User.objects.get(username="carol")
    assert user.email == "carol@example.com"
    assert user.check_password(PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("home"))
    assert home.context["user"] == user


def test_sign_up_with_a_taken_email_shows_the_error(client):
    UserFactory.create(email="carol@example.com")
    response = client.post(reverse("signup"), signup_data(username="other"))
    assertContains(response, "An account already uses the e-mail address")
    assert not User.objects.filter(username="other").exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_with_mismatched_passwords_shows_the_error(client):
    response = client.post(reverse("signup"), signup_data(password2="different-1"))
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_signed_in_user_is_sent_home_from_sign_up(client):
    client.force_login(UserFactory.create())
    assertRedirects(client.get(reverse("signup")), reverse("home"))


def test_log_in_with_the_factory_password(client):
    user = UserFactory.create()
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assertRedirects(response, reverse("home"))
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_in_with_a_wrong_password_fails(client):
    user = UserFactory.create()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_log_out_is_a_post(client):
    client.force_login(UserFactory.create())
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assertRedirects(response, reverse("home"))
    assert "_auth_user_id" not in client.session
