"""Personal access tokens: asked for from the browser, shown once, hashed, revocable."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


class UserFactory:
    """core imports no app: people come from whatever the user model is."""

    count = 0

    @classmethod
    def create(cls):
        cls.count += 1
        return get_user_model().objects.create_user(username=f"scripter{cls.count}")


def _create_token(client: Client) -> dict[str, str]:
    response = client.post(reverse("api-token-create"))
    assert response.status_code == 200, response.content
    return response.json()


def test_a_signed_in_browser_gets_a_token_that_is_stored_as_a_digest_only(client):
    user = UserFactory.create()
    client.force_login(user)
    body = _create_token(client)
    token = AuthToken.objects.get(user=user)
    assert body["token"] not in (token.digest, token.token_key)
    assert token.digest != body["token"]
    assert token.expiry is not None
    assert token.expiry > timezone.now() + timedelta(days=29)


def test_the_token_form_is_refused_without_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create())
    response = client.post(reverse("api-token-create"))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_anonymous_callers_get_401_in_the_envelope_and_no_token(client):
    response = client.post(reverse("api-token-create"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert AuthToken.objects.count() == 0


def test_a_token_authenticates_until_it_is_revoked(client):
    client.force_login(UserFactory.create())
    token = _create_token(client)["token"]
    script = Client(headers={"authorization": f"Token {token}"})
    assert script.get("/api/v1/orgs/nowhere/tasks/").status_code == 404
    assert script.post(reverse("api-token-revoke")).status_code == 204
    response = script.get("/api/v1/orgs/nowhere/tasks/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_refused(client):
    client.force_login(UserFactory.create())
    token = _create_token(client)["token"]
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    script = Client(headers={"authorization": f"Token {token}"})
    assert script.get("/api/v1/orgs/nowhere/tasks/").status_code == 401


def test_a_token_cannot_ask_for_more_tokens(client):
    client.force_login(UserFactory.create())
    token = _create_token(client)["token"]
    script = Client(headers={"authorization": f"Token {token}"})
    response = script.post(reverse("api-token-create"))
    assert response.status_code == 403
    assert "signed-in browser" in response.json()["message"]
    assert AuthToken.objects.count() == 1
