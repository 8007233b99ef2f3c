"""Inviting people to an organization by e-mail, and accepting an invite.

The invite e-mail is a job (``orgs.jobs.send_invite_email``) queued after
the transaction commits: a rolled-back invite never reaches anyone, and a
mail server that is down delays the e-mail, never the invite.
"""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.exceptions import ConflictError, InvalidTokenError, require_choice
from orgs.jobs import invite_accept_url, send_invite_email
from orgs.models import Invite, Membership, Organization
from orgs.selectors import has_member_with_email, has_pending_invite, is_member
from orgs.types import InviteAccepted, InviteSent, MembershipRole
from users.models import User


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
    if has_pending_invite(organization=organization, email=email, now=now):
        raise ConflictError(
            f"{email} already has a pending invite to {organization}.", field="email"
        )
    invite = Invite.objects.create(
        organization=organization,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor,
        expires_at=now + timedelta(days=settings.ORGS_INVITE_TTL_DAYS),
    )
    accept_url = invite_accept_url(token=invite.token)
    transaction.on_commit(partial(send_invite_email.delay, invite_id=invite.pk))
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
    refusal = invite.refusal_reason(email=actor.email, now=timezone.now())
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
    return InviteAccepted(invite=invite, membership=membership)
