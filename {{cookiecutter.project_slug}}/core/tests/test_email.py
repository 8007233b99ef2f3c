"""send_email builds one message and hands it to the sender it is given."""

from django.conf import settings
from django.core.mail import EmailMessage

from core.email import send_email


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
