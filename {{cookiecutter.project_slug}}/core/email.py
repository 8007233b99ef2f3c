"""One place where the project builds and sends e-mail.

Messages go out through Django's configured backend (the test settings keep
them in ``django.core.mail.outbox``). ``send_func`` replaces the sending step
for a test of this edge alone; services do not pass it. Call ``send_email``
from ``transaction.on_commit`` so a rolled-back workflow never sends mail.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage

SendFunc = Callable[[EmailMessage], object]


def send_with_backend(message: EmailMessage) -> None:
    """Default sender: Django's configured e-mail backend."""
    message.send(fail_silently=False)


def send_email(
    *,
    subject: str,
    body: str,
    to: Iterable[str],
    send_func: SendFunc | None = None,
) -> EmailMessage:
    """Build a plain-text message and hand it to ``send_func``."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    (send_func or send_with_backend)(message)
    return message
