"""Test data for organizations, memberships and invites."""

import secrets
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from orgs.models import Invite, Membership, Organization
from users.models import User
from users.tests.factories import UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER

    class Params:
        admin = factory.Trait(role=Membership.Role.ADMIN)


def an_admin_of_its_organization(invite: Any) -> User | None:
    """The first admin of the invite's organization, else a new one: an invite
    lives by its sender's rights."""
    organization = invite.organization
    if organization.pk is None:  # built, not saved
        return None
    admin = (
        Membership.objects.filter(organization=organization, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        admin = MembershipFactory.create(organization=organization, admin=True)
    return admin.user


class InviteFactory(factory.django.DjangoModelFactory[Invite]):
    class Meta:
        model = Invite

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    invited_by = factory.LazyAttribute(an_admin_of_its_organization)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    accepted_at = None

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )
