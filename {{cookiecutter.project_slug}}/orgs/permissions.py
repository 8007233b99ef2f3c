"""Who may do what inside an organization.

Pure functions of the objects passed in: no query, no request, so every rule
is tested without a database. ``membership`` is the acting user's membership
in the organization concerned (views fetch it through ``orgs.selectors``).
"""

from orgs.models import Invite, Membership
from orgs.types import MembershipRole


def can_manage_members(*, membership: Membership | None) -> bool:
    """Change roles and remove other members: admins only."""
    return membership is not None and membership.role == MembershipRole.ADMIN


def can_invite_members(*, membership: Membership | None) -> bool:
    return can_manage_members(membership=membership)


def can_edit_organization(*, membership: Membership | None) -> bool:
    """Rename the organization and see its settings: admins only."""
    return can_manage_members(membership=membership)


def can_manage_invite(*, membership: Membership | None, invite: Invite) -> bool:
    """Revoke or re-send an invite: admins of its organization."""
    return (
        can_invite_members(membership=membership)
        and membership is not None
        and invite.organization_id == membership.organization_id
    )


def can_change_role(*, membership: Membership | None, target: Membership) -> bool:
    return (
        can_manage_members(membership=membership)
        and membership is not None
        and target.organization_id == membership.organization_id
    )


def can_remove_member(*, membership: Membership | None, target: Membership) -> bool:
    """Admins remove anyone in their org; a member may leave on their own."""
    if membership is None or target.organization_id != membership.organization_id:
        return False
    return can_manage_members(membership=membership) or target.pk == membership.pk
