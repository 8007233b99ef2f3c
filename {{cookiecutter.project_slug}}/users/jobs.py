"""The accounts' jobs: the password-reset e-mail.

``AccountPasswordResetForm`` queues ``send_password_reset_email`` after the
commit with the account's id and an id of its own for the request. The job
makes the link (Django's token, which dies once the password changes or the
link is used) and mails it once per request: a retried or duplicated job
sends nothing more, a new request mails again.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.email import send_email_once
from core.jobs import job
from users.models import User
from users.selectors import get_active_user


def password_reset_url(*, user: User) -> str:
    """A fresh link to ``user``'s page for choosing a new password."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@job
def send_password_reset_email(*, user_id: int, request_id: str) -> str:
    """Mail a password-reset link, if the account may still sign in."""
    user = get_active_user(user_id=user_id)
    if user is None or not user.email or not user.has_usable_password():
        return "skipped: the account is gone, deactivated or without a password"
    sent = send_email_once(
        key=f"users.password_reset:{user.pk}:{request_id}",
        subject=f"Reset your password on {settings.PROJECT_NAME}",
        body=(
            f"Someone asked to reset the password of the account {user.username} "
            f"on {settings.PROJECT_NAME}.\n\n"
            f"Choose a new password here: {password_reset_url(user=user)}\n\n"
            "The link works once, and stops working after "
            f"{settings.PASSWORD_RESET_TIMEOUT // 3600} hours or when the "
            "password changes. If you did not ask for it, ignore this e-mail: "
            "your password stays as it is."
        ),
        to=[user.email],
    )
    return "sent" if sent else "skipped: sent already"
