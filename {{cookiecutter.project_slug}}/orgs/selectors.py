"""Reads about organizations and memberships, each in one query.

Everything a view shows of an organization is fetched through here, scoped to
the user asking. A non-member gets ``None``, exactly as for an organization
that does not exist, so the view answers both with the same 404.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from orgs.models import RESERVED_ORG_SLUGS, Invite, Membership, Organization
from users.models import User


def list_memberships(*, user: User | AnonymousUser) -> QuerySet[Membership]:
    """The user's memberships with their organizations, for "my organizations"."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def get_membership(*, user: User | AnonymousUser, org_slug: str) -> Membership | None:
    """The user's membership in the org named by the slug, with the org joined."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, organization__slug=org_slug)
        .first()
    )


def get_membership_and_members(
    *, user: User | AnonymousUser, org_slug: str
) -> tuple[Membership, list[Membership]] | None:
    """The user's membership and all the org's members, in one query.

    For pages that show a member picker: the org's memberships are fetched
    only when the user is among them, so a non-member learns nothing.
    """
    if not user.is_authenticated:
        return None
    members = list(
        Membership.objects.select_related("organization", "user")
        .filter(organization__slug=org_slug, organization__memberships__user=user)
        .order_by("user__username")
    )
    own = next((m for m in members if m.user_id == user.pk), None)
    if own is None:
        return None
    return own, members


def is_member(*, user: User | AnonymousUser, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def list_members(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username")
    )


def get_member(*, organization: Organization, membership_id: int) -> Membership | None:
    """A membership by id inside one org: an id from another org is ``None``."""
    return (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, pk=membership_id)
        .first()
    )


def has_member_with_email(*, organization: Organization, email: str) -> bool:
    return Membership.objects.filter(
        organization=organization, user__email__iexact=email
    ).exists()


def list_pending_invites(
    *, organization: Organization, now: datetime
) -> QuerySet[Invite]:
    return (
        Invite.objects.pending(now=now)
        .filter(organization=organization)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def get_invite(*, token: str) -> Invite | None:
    return Invite.objects.select_related("organization").filter(token=token).first()


def get_pending_invite(*, invite_id: int, now: datetime) -> Invite | None:
    """The invite while it can still be accepted, or None: for the invite's job.

    ``InviteQuerySet.pending`` is the one definition of "still pending", so
    the mail follows whatever ends an invite (acceptance, expiry).
    """
    return (
        Invite.objects.pending(now=now)
        .select_related("organization", "invited_by")
        .filter(pk=invite_id)
        .first()
    )


def has_pending_invite(
    *, organization: Organization, email: str, now: datetime
) -> bool:
    return (
        Invite.objects.pending(now=now)
        .filter(organization=organization, email__iexact=email)
        .exists()
    )


def is_organization_slug_taken(slug: str) -> bool:
    """Positional, as ``core.slugs.unique_slug`` calls its ``is_taken``."""
    if slug in RESERVED_ORG_SLUGS:
        return True
    return Organization.objects.filter(slug=slug).exists()


def get_organization(*, slug: str) -> Organization | None:
    """Unscoped lookup for commands, never for a user's request."""
    return Organization.objects.filter(slug=slug).first()
