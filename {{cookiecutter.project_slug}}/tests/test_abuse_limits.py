"""Abuse limits: past its limit an action that sends mail or creates an
account or content answers the 429 page, and does nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from articles.models import Comment
from articles.tests.factories import ArticleFactory
from core.rate_limits import parse_rate
from orgs.models import Invite, Organization
from users.tests.factories import UserFactory


@pytest.fixture
def limit(settings):
    """Sets one abuse limit for the test."""

    def set_limit(scope: str, rate: str) -> None:
        settings.ABUSE_LIMITS = {**settings.ABUSE_LIMITS, scope: rate}

    return set_limit


def assert_limited(response) -> None:
    assert response.status_code == 429
    assert "Too many requests: this can be done 2 times per hour." in response.text
    assert "<h1>Too many requests</h1>" in response.text


def test_password_reset_mails_one_address_a_limited_number_of_times(
    client, db, limit, security_events, django_capture_on_commit_callbacks
):
    limit("password_reset", "2/hour")
    UserFactory.create(email="alice@example.com")
    url = reverse("password_reset")

    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(url, {"email": "alice@example.com"}).status_code
            for _ in range(3)
        ]

    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert security_events()[-1].levelname == "WARNING"
    assert vars(security_events()[-1])["scope"] == "password_reset"


def test_password_reset_counts_each_asked_address_apart(client, db, limit, settings):
    limit("password_reset", "2/hour")
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("password_reset")
    for n in range(2):
        client.post(url, {"email": "alice@example.com"}, REMOTE_ADDR=f"10.0.0.{n}")

    response = client.post(
        url,
        {"email": "alice@example.com"},
        headers={"x-forwarded-for": "203.0.113.9"},
    )

    assert_limited(response)


def test_sign_up_is_limited_per_client_address(client, db, limit):
    limit("signup", "2/hour")
    answers = []
    for n in range(3):
        client.logout()
        answers.append(
            client.post(
                reverse("signup"),
                {
                    "username": f"person{n}",
                    "email": f"person{n}@example.com",
                    "password1": "a long enough passphrase 93",
                    "password2": "a long enough passphrase 93",
                },
            )
        )

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert_limited(answers[-1])
    assert get_user_model().objects.count() == 2


def test_organization_creation_is_limited_per_user(client, db, limit):
    limit("organization_create", "2/hour")
    client.force_login(UserFactory.create())

    answers = [
        client.post(reverse("orgs:create"), {"name": f"Org {n}"}) for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert Organization.objects.count() == 2


def test_invitations_are_limited_per_user(client, org_with_roles, limit):
    limit("invite", "2/hour")
    client.force_login(org_with_roles.admin)
    url = reverse("orgs:invite", kwargs={"org_slug": "acme"})

    answers = [
        client.post(url, {"email": f"guest{n}@example.com", "role": "member"})
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert_limited(answers[-1])
    assert Invite.objects.count() == 2


def test_comments_are_limited_per_user(client, db, limit):
    limit("comment", "2/hour")
    article = ArticleFactory.create(published=True)
    client.force_login(UserFactory.create())
    url = reverse("articles:comment", kwargs={"slug": article.slug})

    answers = [client.post(url, {"body": f"Comment {n}"}) for n in range(3)]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert Comment.objects.count() == 2


def test_the_default_limits_leave_room_for_a_busy_person(settings):
    assert all(parse_rate(rate)[0] >= 5 for rate in settings.ABUSE_LIMITS.values())
