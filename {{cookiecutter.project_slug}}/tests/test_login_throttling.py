"""Failed log-ins are throttled per account and per address (django-axes).

AXES_FAILURE_LIMIT failures for one account, from anywhere, lock that account;
as many from one address, whatever the accounts, lock that address. A locked
log-in answers 429 with a message, even with the right password, until
AXES_COOLOFF_TIME has passed since the last failure.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.security_headers import assert_security_headers
from users.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def log_in(client, username, password, *, address=ATTACKER):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, username, *, address=ATTACKER):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, username, "wrong password", address=address)


def test_failures_under_the_bound_still_let_the_right_password_in(
    client, org_with_roles
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "alice", "wrong password")
        assert response.status_code == 200  # the form, with its error

    response = log_in(client, "alice", DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(org_with_roles.admin.pk)


def test_the_bound_locks_the_account_even_with_the_right_password(
    client, org_with_roles
):
    fail_until_locked(client, "alice")

    response = log_in(client, "alice", DEFAULT_PASSWORD, address=ELSEWHERE)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_user_is_told_why_and_for_how_long(client, org_with_roles):
    fail_until_locked(client, "alice")

    response = log_in(client, "alice", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert "Too many failed log-ins" in page
    assert "after 5 failed attempts" in page
    assert "Try again in 15 minutes." in page
    assert_security_headers(response)


def test_the_bound_locks_the_address_for_every_account(client, org_with_roles):
    fail_until_locked(client, "alice")

    from_there = log_in(client, "bob", DEFAULT_PASSWORD)
    from_elsewhere = log_in(client, "bob", DEFAULT_PASSWORD, address=ELSEWHERE)

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_failures_spread_over_accounts_count_for_the_address(client, org_with_roles):
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess{number}", "wrong password")

    response = log_in(client, "bob", DEFAULT_PASSWORD)

    assert response.status_code == 429


def test_the_lock_lifts_once_the_cool_off_has_passed(client, org_with_roles):
    fail_until_locked(client, "alice")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )

    response = log_in(client, "alice", DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_the_admin_log_in_is_throttled_too(client, superuser):
    fail_until_locked(client, "root")

    response = client.post(
        reverse("admin:login"),
        {"username": "root", "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=ELSEWHERE,
    )

    assert response.status_code == 429


def test_staff_see_the_attempts_in_the_admin(client, admin_client, org_with_roles):
    fail_until_locked(client, "alice")

    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert "alice" in response.content.decode()


def test_members_do_not_see_the_attempts(client, org_with_roles):
    client.force_login(org_with_roles.member)

    response = client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_behind_a_proxy_each_client_address_is_counted_apart(
    client, org_with_roles, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(username, password, client_address):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.1, {client_address}",
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("guess", "wrong password", ATTACKER)

    assert through_proxy("bob", DEFAULT_PASSWORD, ATTACKER).status_code == 429
    assert through_proxy("bob", DEFAULT_PASSWORD, ELSEWHERE).status_code == 302
