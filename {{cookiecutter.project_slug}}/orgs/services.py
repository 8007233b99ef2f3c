"""Write workflows for organizations and their memberships.

Every function is one transaction. Who may call them is decided at the edge
(views ask ``orgs.permissions``; the admin is for staff); the rules that must
hold whoever calls, such as "an organization keeps at least one admin" or "a
user is a member once", are enforced here.
"""

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from core.exceptions import ConflictError, DomainError, require_choice
from core.security_log import log_security_event
from core.slugs import unique_slug
from orgs.models import Membership, Organization
from orgs.selectors import is_member, is_organization_slug_taken
from orgs.types import MembershipRole, OrganizationCreated
from users.models import User

logger = logging.getLogger(__name__)

ORGANIZATION_SLUG_MAX_LENGTH = Organization._meta.get_field("slug").max_length or 50
# Inserts that may lose a race for a slug before the service gives up.
SLUG_ATTEMPTS = 5


def _insert_with_free_slug(organization: Organization) -> None:
    """Insert the organization under the first slug of its name nobody holds.

    Another transaction can take the slug between the check and the insert:
    the unique constraint then refuses the row, the savepoint undoes that
    insert alone, and the next attempt finds the next free slug.
    """
    for _ in range(SLUG_ATTEMPTS):
        organization.slug = unique_slug(
            organization.name,
            is_taken=is_organization_slug_taken,
            max_length=ORGANIZATION_SLUG_MAX_LENGTH,
            fallback="org",
        )
        try:
            with transaction.atomic():
                organization.save()
        except IntegrityError:
            if not is_organization_slug_taken(organization.slug):
                raise  # another constraint refused the row
        else:
            return
    raise ConflictError(
        "Others were creating organizations of this name at the same moment: "
        "nothing was saved. Please try again.",
        field="name",
    )


@transaction.atomic
def create_organization(*, actor: User, name: str) -> OrganizationCreated:
    """Create an organization; its creator becomes its first admin."""
    name = name.strip()
    if not name:
        raise DomainError("An organization needs a name.", field="name")
    organization = Organization(name=name)
    _insert_with_free_slug(organization)
    membership = Membership.objects.create(
        user=actor, organization=organization, role=MembershipRole.ADMIN
    )
    logger.info("%s created organization %s", actor, organization.slug)
    return OrganizationCreated(organization=organization, membership=membership)


@transaction.atomic
def rename_organization(
    *, actor: User, organization: Organization, name: str
) -> Organization:
    """Rename an organization; its slug, and so its URLs, stay the same."""
    name = name.strip()
    if not name:
        raise DomainError("An organization needs a name.", field="name")
    organization.name = name
    organization.save(update_fields=["name", "updated_at"])
    logger.info("%s renamed organization %s", actor, organization.slug)
    return organization


@transaction.atomic
def add_member(
    *, actor: User, organization: Organization, user: User, role: str
) -> Membership:
    require_choice(role, allowed=MembershipRole.values, field="role")
    if is_member(user=user, organization=organization):
        raise ConflictError(f"{user} is already a member of {organization}.")
    membership = Membership.objects.create(
        user=user, organization=organization, role=role
    )
    logger.info("%s added %s to %s as %s", actor, user, organization.slug, role)
    return membership


def _lock_admins(organization: Organization) -> list[Membership]:
    """Lock the org's admin rows so two demotions cannot both pass the check."""
    return list(
        Membership.objects.select_for_update().filter(
            organization=organization, role=MembershipRole.ADMIN
        )
    )


def _refuse_if_last_admin(membership: Membership, action: str) -> None:
    admins = _lock_admins(membership.organization)
    if membership.is_admin and len(admins) <= 1:
        raise ConflictError(
            f"Cannot {action} {membership.user}: they are the last admin of "
            f"{membership.organization}. Make another member an admin first."
        )


@transaction.atomic
def change_member_role(*, actor: User, membership: Membership, role: str) -> Membership:
    require_choice(role, allowed=MembershipRole.values, field="role")
    membership = Membership.objects.select_related("organization", "user").get(
        pk=membership.pk
    )
    if membership.role == role:
        return membership
    if role != MembershipRole.ADMIN:
        _refuse_if_last_admin(membership, "demote")
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    logger.info("%s made %s %s", actor, membership.user, role)
    log_security_event(
        "role_changed",
        user=actor,
        member_id=membership.user_id,
        organization_id=membership.organization_id,
        role=role,
    )
    return membership


@transaction.atomic
def remove_member(*, actor: User, membership: Membership) -> None:
    membership = Membership.objects.select_related("organization", "user").get(
        pk=membership.pk
    )
    _refuse_if_last_admin(membership, "remove")
    membership.delete()
    logger.info(
        "%s removed %s from %s", actor, membership.user, membership.organization.slug
    )


@transaction.atomic
def remove_members(*, actor: User, memberships: Iterable[Membership]) -> int:
    """Remove several members at once: all of them, or none if a rule refuses."""
    removed = 0
    for membership in memberships:
        remove_member(actor=actor, membership=membership)
        removed += 1
    return removed
