"""Reads about organizations and memberships, each in one query.

Everything a view shows of an organization is fetched through here, scoped to
the user asking: a non-member gets a 404, never a hint that the org exists.
"""

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from orgs.models import RESERVED_ORG_SLUGS, Invite, Membership, Organization
from users.models import User


def is_member(*, user: User | AnonymousUser, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def get_membership(
    *, user: User | AnonymousUser, organization: Organization
) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, organization=organization)
        .first()
    )


def get_membership_or_404(*, user: User | AnonymousUser, org_slug: str) -> Membership:
    """The user's membership in the org named by the slug, with the org joined."""
    if not user.is_authenticated:
        raise Http404("No organization matches the given query.")
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(user=user, organization__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404("No organization matches the given query.")
    return membership


def get_membership_and_members_or_404(
    *, user: User | AnonymousUser, org_slug: str
) -> tuple[Membership, list[Membership]]:
    """The user's membership and all the org's members, in one query.

    For pages that show a member picker: fetching the org's memberships only
    when the user is among them keeps the 404 for non-members.
    """
    if not user.is_authenticated:
        raise Http404("No organization matches the given query.")
    members = list(
        Membership.objects.select_related("organization", "user")
        .filter(organization__slug=org_slug, organization__memberships__user=user)
        .order_by("user__username")
    )
    own = next((m for m in members if m.user_id == user.pk), None)
    if own is None:
        raise Http404("No organization matches the given query.")
    return own, members


def get_org_for_user_or_404(
    *, user: User | AnonymousUser, org_slug: str
) -> Organization:
    return get_membership_or_404(user=user, org_slug=org_slug).organization


def organizations_for_user(*, user: User | AnonymousUser) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).order_by("name")


def memberships_for_user(*, user: User | AnonymousUser) -> QuerySet[Membership]:
    """The user's memberships with their organizations, for "my organizations"."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name")
    )


def members_of(*, organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username")
    )


def get_member_of_org_or_404(
    *, organization: Organization, membership_id: int
) -> Membership:
    """A membership by id inside one org: an id from another org is a 404."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404("No member matches the given query.")
    return membership


def count_admins(*, organization: Organization) -> int:
    return Membership.objects.filter(
        organization=organization, role=Membership.Role.ADMIN
    ).count()


def pending_invites_for(
    *, organization: Organization, now: datetime
) -> QuerySet[Invite]:
    return (
        Invite.objects.pending(now=now)
        .filter(organization=organization)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def get_invite_by_token(*, token: str) -> Invite | None:
    return Invite.objects.select_related("organization").filter(token=token).first()


def org_slug_is_taken(slug: str) -> bool:
    if slug in RESERVED_ORG_SLUGS:
        return True
    return Organization.objects.filter(slug=slug).exists()


def membership_exists(*, organization: Organization, email: str) -> bool:
    return Membership.objects.filter(
        organization=organization, user__email__iexact=email
    ).exists()


def has_pending_invite(
    *, organization: Organization, email: str, now: datetime
) -> bool:
    return (
        Invite.objects.pending(now=now)
        .filter(organization=organization, email__iexact=email)
        .exists()
    )


def get_organization_by_slug(*, slug: str) -> Organization | None:
    """Unscoped lookup for staff tools and commands, never for a user's request."""
    return Organization.objects.filter(slug=slug).first()
