"""Test data for organizations, memberships and invites."""

import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from orgs.models import Invite, Membership, Organization
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


class InviteFactory(factory.django.DjangoModelFactory[Invite]):
    class Meta:
        model = Invite

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.MEMBER
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    invited_by = None
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    accepted_at = None

    class Params:
        expired = factory.Trait(
            expires_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
        )
