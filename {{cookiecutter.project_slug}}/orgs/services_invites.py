"""Inviting people to an organization by e-mail, and what ends an invite.

The invite e-mail is a job (``orgs.jobs.send_invite_email``) queued after
the transaction commits: a rolled-back invite never reaches anyone, and a
mail server that is down delays the e-mail, never the invite.

An invite lives by its sender's rights (``InviteQuerySet.pending``): it is
accepted, and mailed, only while its sender is an admin of the organization
(or a superuser). An address has at most one open invite per organization,
which the database enforces; a new invite supersedes an open one that can no
longer be accepted (expired, or its sender gone), and revoking or re-sending
ends the old link.
"""

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import ConflictError, InvalidTokenError, require_choice
from core.security_log import log_security_event
from orgs.jobs import invite_accept_url, send_invite_email
from orgs.models import Invite, Membership, Organization
from orgs.selectors import (
    count_invites_sent_since,
    has_member_with_email,
    has_pending_invite,
    is_backed_by_inviter,
    is_member,
)
from orgs.types import InviteAccepted, InviteSent, MembershipRole
from users.models import User

logger = logging.getLogger(__name__)


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.ORGS_INVITE_TTL_DAYS)


def _refuse_unless_backed(invite: Invite) -> None:
    """An invite nobody may vouch for would never be mailed nor accepted."""
    if not is_backed_by_inviter(invite=invite):
        raise ConflictError(
            f"Only an admin of {invite.organization} (or a superuser) can invite "
            "people to it: an invitation lives as long as its sender's rights."
        )


def _supersede_open_invites(
    *, organization: Organization, email: str, now: datetime
) -> None:
    """Revoke the address's open invites that can no longer be accepted."""
    superseded = (
        Invite.objects.open()
        .filter(organization=organization, email__iexact=email)
        .exclude(pk__in=Invite.objects.pending(now=now).values("pk"))
        .update(revoked_at=now)
    )
    if superseded:
        logger.info("Superseded %s open invite(s) of %s", superseded, email)


@transaction.atomic
def invite_member(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: str = MembershipRole.MEMBER,
) -> InviteSent:
    """Record an invite with a secret token; its e-mail is queued after commit."""
    email = email.strip().lower()
    require_choice(role, allowed=MembershipRole.values, field="role")
    if has_member_with_email(organization=organization, email=email):
        raise ConflictError(
            f"{email} is already a member of {organization}.", field="email"
        )
    now = timezone.now()
    sent_today = count_invites_sent_since(
        organization=organization, since=now - timedelta(days=1)
    )
    if sent_today >= settings.ORGS_INVITES_PER_DAY:
        raise ConflictError(
            f"{organization} has sent {sent_today} invitations in the last 24 "
            f"hours, its limit ({settings.ORGS_INVITES_PER_DAY}); try again "
            "tomorrow."
        )
    already_invited = ConflictError(
        f"{email} already has a pending invite to {organization}.", field="email"
    )
    if has_pending_invite(organization=organization, email=email, now=now):
        raise already_invited
    _supersede_open_invites(organization=organization, email=email, now=now)
    invite = Invite(
        organization=organization,
        email=email,
        role=role,
        token=_new_token(),
        invited_by=actor,
        expires_at=_expiry(now),
    )
    try:
        with transaction.atomic():
            invite.save()
    except IntegrityError:
        # A concurrent invite to the address committed after the check.
        if has_pending_invite(organization=organization, email=email, now=now):
            raise already_invited from None
        raise
    _refuse_unless_backed(invite)
    accept_url = invite_accept_url(token=invite.token)
    transaction.on_commit(partial(send_invite_email.delay, invite_id=invite.pk))
    log_security_event(
        "invite_sent",
        user=actor,
        invite_id=invite.pk,
        organization_id=organization.pk,
        role=role,
    )
    return InviteSent(invite=invite, accept_url=accept_url)


@transaction.atomic
def accept_invite(*, actor: User, token: str) -> InviteAccepted:
    """Join the invite's organization with its role, once, before it expires."""
    invite = (
        Invite.objects.select_for_update()
        .select_related("organization")
        .filter(token=token)
        .first()
    )
    if invite is None:
        raise InvalidTokenError("This invite link is not valid.")
    refusal = invite.refusal_reason(
        email=actor.email,
        now=timezone.now(),
        backed_by_inviter=is_backed_by_inviter(invite=invite),
    )
    if refusal:
        raise InvalidTokenError(refusal)
    if is_member(user=actor, organization=invite.organization):
        raise ConflictError(f"You are already a member of {invite.organization}.")
    membership = Membership.objects.create(
        user=actor, organization=invite.organization, role=invite.role
    )
    invite.accepted_at = timezone.now()
    invite.accepted_by = actor
    invite.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    log_security_event(
        "invite_accepted",
        user=actor,
        invite_id=invite.pk,
        organization_id=invite.organization_id,
        role=invite.role,
    )
    return InviteAccepted(invite=invite, membership=membership)


def _lock_open_invite(invite: Invite) -> Invite:
    """The invite, locked and fresh; refused once accepted or revoked."""
    invite = (
        Invite.objects.select_for_update()
        .select_related("organization")
        .get(pk=invite.pk)
    )
    if invite.is_accepted:
        raise ConflictError(
            f"The invitation to {invite.email} has already been accepted."
        )
    if invite.is_revoked:
        raise ConflictError(f"The invitation to {invite.email} was revoked.")
    return invite


@transaction.atomic
def revoke_invite(*, actor: User, invite: Invite) -> Invite:
    """Withdraw an open invite: its link stops working and its mail is not sent."""
    invite = _lock_open_invite(invite)
    invite.revoked_at = timezone.now()
    invite.save(update_fields=["revoked_at", "updated_at"])
    logger.info(
        "%s revoked the invite of %s to %s",
        actor,
        invite.email,
        invite.organization.slug,
    )
    return invite


@transaction.atomic
def revoke_invites(*, actor: User, invites: Iterable[Invite]) -> int:
    """Revoke several invites at once: all of them, or none if one is refused."""
    revoked = 0
    for invite in invites:
        revoke_invite(actor=actor, invite=invite)
        revoked += 1
    return revoked


@transaction.atomic
def resend_invite(*, actor: User, invite: Invite) -> InviteSent:
    """Send an open invite again, with a new link and a new expiry.

    The old link stops working. The sender is now ``actor``, whose rights the
    invite lives by from here on; the mail's idempotency key follows the new
    token, so the mail really goes again.
    """
    invite = _lock_open_invite(invite)
    if has_member_with_email(organization=invite.organization, email=invite.email):
        raise ConflictError(
            f"{invite.email} is already a member of {invite.organization}."
        )
    invite.token = _new_token()
    invite.expires_at = _expiry(timezone.now())
    invite.invited_by = actor
    invite.save(update_fields=["token", "expires_at", "invited_by", "updated_at"])
    _refuse_unless_backed(invite)
    transaction.on_commit(partial(send_invite_email.delay, invite_id=invite.pk))
    logger.info(
        "%s re-sent the invite of %s to %s",
        actor,
        invite.email,
        invite.organization.slug,
    )
    return InviteSent(invite=invite, accept_url=invite_accept_url(token=invite.token))
