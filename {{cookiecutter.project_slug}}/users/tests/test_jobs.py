"""The password-reset e-mail job: a working link, once per request, only to
an account that may still sign in."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import resolve

from core.models import SentEmail
from users.jobs import send_password_reset_email
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_job_mails_a_link_that_resets_this_accounts_password(mailoutbox):
    carol = UserFactory.create(username="carol", email="carol@example.com")

    result = send_password_reset_email.delay(user_id=carol.pk, request_id="r1")

    assert result.get() == "sent"
    [message] = mailoutbox
    assert message.to == ["carol@example.com"]
    assert message.subject.startswith("Reset your password on ")
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link, message.body
    match = resolve(link.group(1))
    assert match.url_name == "password_reset_confirm"
    assert default_token_generator.check_token(carol, match.kwargs["token"])


def test_the_key_keeps_the_token_secret():
    carol = UserFactory.create()
    send_password_reset_email.delay(user_id=carol.pk, request_id="r1")

    key = SentEmail.objects.get().key
    assert key == f"users.password_reset:{carol.pk}:r1"


def test_running_twice_sends_one_mail_and_a_new_request_another(mailoutbox):
    carol = UserFactory.create()
    send_password_reset_email.delay(user_id=carol.pk, request_id="r1")
    again = send_password_reset_email.delay(user_id=carol.pk, request_id="r1")
    assert again.get() == "skipped: sent already"
    assert len(mailoutbox) == 1

    send_password_reset_email.delay(user_id=carol.pk, request_id="r2")
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"email": ""}, {"password": "!unusable"}],
    ids=["deactivated", "no-address", "no-password"],
)
def test_nothing_is_sent_to_an_account_that_cannot_reset(mailoutbox, change):
    carol = UserFactory.create()
    type(carol).objects.filter(pk=carol.pk).update(**change)

    result = send_password_reset_email.delay(user_id=carol.pk, request_id="r1")

    assert result.get().startswith("skipped:")
    assert mailoutbox == []


def test_nothing_is_sent_for_a_deleted_account(mailoutbox):
    carol = UserFactory.create()
    carol_id = carol.pk
    carol.delete()

    result = send_password_reset_email.delay(user_id=carol_id, request_id="r1")

    assert result.get().startswith("skipped:")
    assert mailoutbox == []
