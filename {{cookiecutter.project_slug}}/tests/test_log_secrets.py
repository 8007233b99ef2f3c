"""Secrets stay out of what is kept: the request log masks a link's token,
and an error report (mailed to ADMINS) shows no password or code."""

import logging

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.debug import SafeExceptionReporterFilter

from orgs.tests.factories import InviteFactory
from users.tests.factories import DEFAULT_PASSWORD, UserFactory, log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_paths(caplog):
    caplog.set_level(logging.INFO, logger="core.requests")
    return lambda: [
        (r.path, r.getMessage()) for r in caplog.records if r.name == "core.requests"
    ]


def test_the_invitation_links_token_is_masked_in_the_request_log(client, logged_paths):
    invite = InviteFactory.create()

    client.get(reverse("orgs:invite_accept", kwargs={"token": invite.token}))

    [(path, message)] = logged_paths()
    assert path == "/orgs/invites/[secret]/"
    assert invite.token not in message


def test_a_password_reset_links_token_is_masked_in_the_request_log(
    client, logged_paths
):
    user = UserFactory.create()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)

    client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )

    [(path, message)] = logged_paths()
    assert token not in path
    assert token not in message


def reported_post(response) -> dict[str, str]:
    """The POST data an error report of this request would show."""
    report = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    return dict(report.items())


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("signup", "password1"),
        ("signup", "password2"),
        ("login", "password"),
        ("email_change", "current_password"),
        ("account_delete", "current_password"),
        ("password_change", "old_password"),
        ("mfa_verify", "code"),
        ("mfa_disable", "code"),
        ("mfa_setup", "code"),
    ],
)
def test_error_reports_show_no_password_or_code(client, name, field):
    user = UserFactory.create()
    device = log_in_verified(client, user)
    if name in ("signup", "login"):
        client.logout()
    if name == "mfa_setup":
        device.confirmed = False
        device.save()
    if name == "mfa_verify":
        client.force_login(user)  # owes a code again

    response = client.post(reverse(name), {field: DEFAULT_PASSWORD})

    assert (
        reported_post(response)[field]
        == SafeExceptionReporterFilter.cleansed_substitute
    )
