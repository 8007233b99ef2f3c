"""send_email builds and sends one message; send_email_once, once per key."""

from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core.mail import EmailMessage

from core.email import send_email, send_email_once
from core.models import SentEmail


def test_send_email_builds_the_message_and_calls_send_func_once():
    calls: list[EmailMessage] = []
    message = send_email(
        subject="Hello",
        body="Body text",
        to=(address for address in ["a@example.com", "b@example.com"]),
        send_func=calls.append,
    )
    assert calls == [message]
    assert message.subject == "Hello"
    assert message.body == "Body text"
    assert message.to == ["a@example.com", "b@example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.from_email


def test_send_email_with_send_func_does_not_touch_the_backend(mailoutbox):
    send_email(subject="S", body="B", to=["a@example.com"], send_func=lambda m: None)
    assert mailoutbox == []


def test_send_email_without_send_func_uses_the_mail_backend(mailoutbox):
    send_email(subject="Hello", body="Body text", to=["a@example.com"])
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert (sent.subject, sent.body, sent.to) == (
        "Hello",
        "Body text",
        ["a@example.com"],
    )
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL


def test_line_breaks_in_the_subject_are_folded_into_spaces(mailoutbox):
    send_email(subject="Hello\r\nBcc: x@example.com\nagain", body="B", to=["a@x.org"])

    assert mailoutbox[0].subject == "Hello Bcc: x@example.com again"
    assert "\n" not in mailoutbox[0].message()["Subject"]


# send_email_once ----------------------------------------------------------


@pytest.mark.django_db
def test_send_email_once_sends_one_message_per_key(mailoutbox):
    first = send_email_once(key="k:1", subject="Hi", body="B", to=["a@example.com"])
    again = send_email_once(key="k:1", subject="Hi", body="B", to=["a@example.com"])
    other = send_email_once(key="k:2", subject="Hi", body="B", to=["a@example.com"])

    assert (first, again, other) == (True, False, True)
    assert len(mailoutbox) == 2
    record = SentEmail.objects.get(key="k:1")
    assert (record.subject, record.recipients) == ("Hi", "a@example.com")


@pytest.mark.django_db
def test_a_failed_send_leaves_the_key_free_for_the_retry(mailoutbox, monkeypatch):
    def refused(message):
        raise SMTPServerDisconnected("the server hung up")

    monkeypatch.setattr("core.email.send_with_backend", refused)
    with pytest.raises(SMTPServerDisconnected):
        send_email_once(key="k:1", subject="Hi", body="B", to=["a@example.com"])
    assert not SentEmail.objects.exists()

    monkeypatch.undo()
    assert send_email_once(key="k:1", subject="Hi", body="B", to=["a@example.com"])
    assert len(mailoutbox) == 1
