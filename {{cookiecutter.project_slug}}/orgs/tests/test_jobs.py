"""The invitation e-mail job: once per token, only while the invite is pending.

The test settings run jobs in-process right after the commit; a mail error
is retried at once, at most ``JOBS_MAX_RETRIES`` (2) times.
"""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import FailedJob, SentEmail
from orgs.jobs import invite_accept_url, send_invite_email
from orgs.models import Invite
from orgs.tests.factories import InviteFactory
from orgs.tests.test_views import messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(org_with_roles) -> Invite:
    return InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        role="admin",
        invited_by=org_with_roles.admin,
    )


class MailServer:
    """Stands in for the mail backend: refuses while ``down`` says so."""

    def __init__(self) -> None:
        self.down = 0
        self.attempts = 0

    def send(self, message) -> None:
        self.attempts += 1
        if self.down:
            self.down -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        message.send(fail_silently=False)


@pytest.fixture
def mail_server(monkeypatch) -> MailServer:
    server = MailServer()
    monkeypatch.setattr("core.email.send_with_backend", server.send)
    return server


def test_the_job_mails_the_link_of_a_pending_invite(pending, mailoutbox):
    assert send_invite_email.delay(invite_id=pending.pk).get() == "sent"

    [message] = mailoutbox
    assert message.to == ["carol@example.com"]
    assert message.subject == "You are invited to join Acme"
    assert invite_accept_url(token=pending.token) in message.body
    assert "alice invited you to join Acme as admin." in message.body
    assert SentEmail.objects.get().recipients == "carol@example.com"


def test_the_key_keeps_the_token_secret(pending):
    send_invite_email.delay(invite_id=pending.pk)

    key = SentEmail.objects.get().key
    assert key.startswith(f"orgs.invite:{pending.pk}:")
    assert pending.token not in key


def test_running_twice_sends_one_mail(pending, mailoutbox):
    send_invite_email.delay(invite_id=pending.pk)
    result = send_invite_email.delay(invite_id=pending.pk)

    assert result.get() == "skipped: sent already"
    assert len(mailoutbox) == 1


def test_a_new_token_is_mailed_again(pending, mailoutbox):
    send_invite_email.delay(invite_id=pending.pk)
    pending.token = "a-new-token-for-a-deliberate-resend-" + "x" * 10
    pending.save()
    send_invite_email.delay(invite_id=pending.pk)

    assert len(mailoutbox) == 2
    assert invite_accept_url(token=pending.token) in mailoutbox[1].body


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"accepted_at": timezone.now}, id="accepted"),
        pytest.param(
            {"expires_at": lambda: timezone.now() - timedelta(seconds=1)}, id="expired"
        ),
    ],
)
def test_an_invite_no_longer_pending_is_not_mailed(pending, mailoutbox, change):
    Invite.objects.filter(pk=pending.pk).update(
        **{field: value() for field, value in change.items()}
    )

    result = send_invite_email.delay(invite_id=pending.pk)

    assert result.get().startswith("skipped:")
    assert mailoutbox == []
    assert not SentEmail.objects.exists()


def test_a_deleted_invite_is_not_mailed(pending, mailoutbox):
    invite_id = pending.pk
    pending.delete()

    send_invite_email.delay(invite_id=invite_id)

    assert mailoutbox == []


def test_a_mail_error_is_retried_and_the_mail_arrives_once(
    pending, mailoutbox, mail_server
):
    mail_server.down = settings.JOBS_MAX_RETRIES

    assert send_invite_email.delay(invite_id=pending.pk).get() == "sent"

    assert mail_server.attempts == settings.JOBS_MAX_RETRIES + 1
    assert len(mailoutbox) == 1
    assert not FailedJob.objects.exists()


def test_a_job_that_gives_up_is_kept_and_its_replay_mails_once(
    pending, mailoutbox, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = 100

    send_invite_email.delay(invite_id=pending.pk)

    assert mail_server.attempts == settings.JOBS_MAX_RETRIES + 1
    assert mailoutbox == []
    assert not SentEmail.objects.exists()
    failed = FailedJob.objects.get()
    assert (failed.name, failed.kwargs) == (
        "orgs.jobs.send_invite_email",
        {"invite_id": pending.pk},
    )

    mail_server.down = 0  # the server is back
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_jobs")
        call_command("replay_jobs")  # nothing waits any more

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]


def test_inviting_with_the_mail_server_down_still_succeeds(
    client, org_with_roles, mailoutbox, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = 100
    client.force_login(org_with_roles.admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("orgs:invite", kwargs={"org_slug": "acme"}),
            {"email": "carol@example.com", "role": "member"},
        )

    assert response.status_code == 302
    assert "Invite sent to carol@example.com." in messages_of(response)
    invite = Invite.objects.get()
    assert FailedJob.objects.get().kwargs == {"invite_id": invite.pk}
    assert mailoutbox == []
