"""One place where the project builds and sends e-mail.

Messages go out through Django's configured backend (the test settings keep
them in ``django.core.mail.outbox``). Every e-mail leaves from a job (an
app's ``jobs.py``), never from a request: ``send_email_once`` sends it at
most once per idempotency key, so a retried or duplicated job mails nobody
twice. ``send_func`` replaces the sending step for a test of this edge
alone; jobs do not pass it.
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from core.models import SentEmail

SendFunc = Callable[[EmailMessage], object]

_LINE_BREAKS = re.compile(r"[\r\n]+")


def send_with_backend(message: EmailMessage) -> None:
    """Default sender: Django's configured e-mail backend."""
    message.send(fail_silently=False)


def one_line(text: str) -> str:
    """``text`` with its line breaks folded into spaces, for a mail header.

    A subject built from what people typed (a title, an organization's name)
    can never start a new header this way.
    """
    return _LINE_BREAKS.sub(" ", text).strip()


def send_email(
    *,
    subject: str,
    body: str,
    to: Iterable[str],
    send_func: SendFunc | None = None,
) -> EmailMessage:
    """Build a plain-text message and hand it to ``send_func``."""
    message = EmailMessage(
        subject=one_line(subject),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    (send_func or send_with_backend)(message)
    return message


def send_email_once(*, key: str, subject: str, body: str, to: Iterable[str]) -> bool:
    """Send the message unless one was sent under ``key``; True if sent now.

    The key is claimed and the message sent in one transaction: a failed
    send rolls the claim back, so the retry sends; a job running twice at
    once waits on the key's unique index and then finds it taken.
    """
    recipients = list(to)
    with transaction.atomic():
        _, created = SentEmail.objects.get_or_create(
            key=key,
            defaults={
                "subject": one_line(subject),
                "recipients": ", ".join(recipients),
            },
        )
        if not created:
            return False
        send_email(subject=subject, body=body, to=recipients)
    return True
