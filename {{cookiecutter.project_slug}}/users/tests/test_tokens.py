"""The tokens page: shown once, stored hashed, listed by date, revocable."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import knox_settings
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from core.exceptions import DomainError
from users.selectors_tokens import get_live_token, list_live_tokens
from users.services_tokens import create_token, revoke_token
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API_URL = "/api/v1/orgs/nowhere/tasks/"  # 404 with a valid token, 401 without


def revoke_url(token: AuthToken) -> str:
    return reverse("token_revoke", kwargs={"digest": token.digest})


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "tokens"), ("post", "tokens"), ("post", "tokens_revoke_all")],
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, name):
    url = reverse(name)
    response = getattr(client, method)(url)
    assertRedirects(response, f"{reverse('login')}?next={url}")
    assert AuthToken.objects.count() == 0


def test_a_token_is_shown_once_and_stored_as_its_digest_only(client):
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(reverse("tokens"))

    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    secret = response.context["created"].secret
    assertContains(response, secret, status_code=201)
    stored = AuthToken.objects.get(user=user)
    assert stored.digest == hash_token(secret)
    assert secret not in (stored.digest, stored.token_key)
    assert stored.expiry > timezone.now() + knox_settings.TOKEN_TTL - timedelta(hours=1)
    later = client.get(reverse("tokens"))
    assertNotContains(later, secret)
    assertContains(later, revoke_url(stored))


def test_the_new_token_calls_the_api_until_it_is_revoked(client):
    user = UserFactory.create()
    client.force_login(user)
    secret = client.post(reverse("tokens")).context["created"].secret
    script = Client(headers={"authorization": f"Token {secret}"})
    assert script.get(API_URL).status_code == 404

    response = client.post(revoke_url(AuthToken.objects.get(user=user)))

    assertRedirects(response, reverse("tokens"))
    assert script.get(API_URL).status_code == 401
    assert AuthToken.objects.count() == 0


def test_a_user_sees_only_their_own_live_tokens(client):
    alice, bob = UserFactory.create(), UserFactory.create()
    mine, _ = AuthToken.objects.create(user=alice)
    expired, _ = AuthToken.objects.create(user=alice, expiry=timedelta(seconds=-1))
    theirs, _ = AuthToken.objects.create(user=bob)
    client.force_login(alice)

    response = client.get(reverse("tokens"))

    assert list(response.context["tokens"]) == [mine]
    assertContains(response, revoke_url(mine))
    assertNotContains(response, expired.digest)
    assertNotContains(response, theirs.digest)


def test_revoking_another_users_token_is_404_and_keeps_it(client):
    alice, bob = UserFactory.create(), UserFactory.create()
    theirs, _ = AuthToken.objects.create(user=bob)
    client.force_login(alice)

    response = client.post(revoke_url(theirs))

    assert response.status_code == 404
    assert AuthToken.objects.filter(pk=theirs.pk).exists()


def test_revoke_is_post_only(client):
    user = UserFactory.create()
    token, _ = AuthToken.objects.create(user=user)
    client.force_login(user)
    assert client.get(revoke_url(token)).status_code == 405
    assert AuthToken.objects.filter(pk=token.pk).exists()


def test_revoke_all_revokes_only_the_users_tokens(client):
    alice, bob = UserFactory.create(), UserFactory.create()
    AuthToken.objects.create(user=alice)
    AuthToken.objects.create(user=alice)
    theirs, _ = AuthToken.objects.create(user=bob)
    client.force_login(alice)

    response = client.post(reverse("tokens_revoke_all"))

    assertRedirects(response, reverse("tokens"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "2 tokens revoked."
    ]
    assert list(AuthToken.objects.all()) == [theirs]


def test_no_token_past_the_limit_and_the_page_says_why(client):
    user = UserFactory.create()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    for _ in range(limit):
        AuthToken.objects.create(user=user)
    client.force_login(user)

    response = client.post(reverse("tokens"), follow=True)

    assertContains(response, f"You have {limit} live tokens, the most allowed")
    assert AuthToken.objects.filter(user=user).count() == limit


def test_an_expired_token_does_not_count_against_the_limit():
    user = UserFactory.create()
    for _ in range(knox_settings.TOKEN_LIMIT_PER_USER):
        AuthToken.objects.create(user=user, expiry=timedelta(seconds=-1))

    created = create_token(actor=user)

    assert list(list_live_tokens(user=user)) == [created.token]


def test_get_live_token_finds_nothing_of_someone_else():
    alice, bob = UserFactory.create(), UserFactory.create()
    token, _ = AuthToken.objects.create(user=bob)
    assert get_live_token(user=alice, digest=token.digest) is None
    assert get_live_token(user=bob, digest=token.digest) == token


def test_the_service_refuses_to_revoke_someone_elses_token():
    alice, bob = UserFactory.create(), UserFactory.create()
    token, _ = AuthToken.objects.create(user=bob)
    with pytest.raises(DomainError, match="not yours"):
        revoke_token(actor=alice, token=token)
    assert AuthToken.objects.filter(pk=token.pk).exists()
