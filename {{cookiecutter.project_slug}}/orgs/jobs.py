"""The organizations' jobs: the invitation e-mail.

``invite_member`` queues ``send_invite_email`` after its commit with the
invite's id. The job reads the invite afresh and mails its link only while
the invite can still be accepted, once per token: a retried or duplicated
job sends nothing more, a new token (a new invitation) is mailed again.
"""

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.email import send_email_once
from core.jobs import job
from orgs.selectors import get_pending_invite


def invite_accept_url(*, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "orgs:invite_accept", kwargs={"token": token}
    )


def _sent_key(*, invite_id: int, token: str) -> str:
    """The invite's idempotency key; the token stays secret (only a digest)."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:16]
    return f"orgs.invite:{invite_id}:{digest}"


@job
def send_invite_email(*, invite_id: int) -> str:
    """Mail the invitation's link, if the invite is still pending."""
    invite = get_pending_invite(invite_id=invite_id, now=timezone.now())
    if invite is None:
        return "skipped: the invite is gone, accepted or expired"
    inviter = invite.invited_by.username if invite.invited_by else "An admin"
    organization = invite.organization.name
    sent = send_email_once(
        key=_sent_key(invite_id=invite.pk, token=invite.token),
        subject=f"You are invited to join {organization}",
        body=(
            f"{inviter} invited you to join {organization} "
            f"as {invite.get_role_display().lower()}.\n\n"
            f"Accept the invitation here: {invite_accept_url(token=invite.token)}\n\n"
            f"The link expires on {invite.expires_at:%Y-%m-%d %H:%M %Z}."
        ),
        to=[invite.email],
    )
    return "sent" if sent else "skipped: sent already"
