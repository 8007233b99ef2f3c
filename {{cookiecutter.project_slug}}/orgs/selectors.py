"""Reads about organizations and memberships, each in one query.

Everything a view shows of an organization is fetched through here, scoped to
the user asking. A non-member gets ``None``, exactly as for an organization
that does not exist, so the view answers both with the same 404.
"""

from collections.abc import Iterable
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
        .order_by("organization__name", "organization__slug")
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


def list_last_admins(*, memberships: Iterable[Membership]) -> QuerySet[Membership]:
    """Those of ``memberships`` whose removal, all at once, would leave an
    organization without an admin; for the admin site, to refuse before it
    deletes or logs anything."""
    return (
        Membership.objects.filter(pk__in=[membership.pk for membership in memberships])
        .last_admins()
        .select_related("user", "organization")
    )


def list_last_admins_of_users(*, users: Iterable[User]) -> QuerySet[Membership]:
    """The memberships that deleting these accounts, all at once, would take
    from organizations they alone run (which ``Membership.user`` refuses)."""
    return (
        Membership.objects.filter(user__in=[user.pk for user in users])
        .last_admins()
        .select_related("user", "organization")
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
        .order_by("-created_at", "-pk")
    )


def get_invite(*, token: str) -> Invite | None:
    return Invite.objects.select_related("organization").filter(token=token).first()


def get_organization_invite(
    *, organization: Organization, invite_id: int
) -> Invite | None:
    """An invite by id inside one org: an id from another org is ``None``."""
    return (
        Invite.objects.select_related("organization")
        .filter(organization=organization, pk=invite_id)
        .first()
    )


def is_backed_by_inviter(*, invite: Invite) -> bool:
    """Whether the invite's sender may still invite to its organization."""
    return Invite.objects.backed_by_inviter().filter(pk=invite.pk).exists()


def get_pending_invite(*, invite_id: int, now: datetime) -> Invite | None:
    """The invite while it can still be accepted, or None: for the invite's job.

    ``InviteQuerySet.pending`` is the one definition of "still pending", so
    the mail follows whatever ends an invite (acceptance, revocation, expiry,
    its sender losing the right to invite).
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


def count_invites_sent_since(*, organization: Organization, since: datetime) -> int:
    """Invitations the organization sent since then, whatever became of them."""
    return Invite.objects.filter(
        organization=organization, created_at__gte=since
    ).count()


def is_organization_slug_taken(slug: str) -> bool:
    """Positional, as ``core.slugs.unique_slug`` calls its ``is_taken``."""
    if slug in RESERVED_ORG_SLUGS:
        return True
    return Organization.objects.filter(slug=slug).exists()
