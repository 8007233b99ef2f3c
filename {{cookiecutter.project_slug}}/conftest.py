"""Fixtures shared by every app's tests."""

import os
from dataclasses import dataclass

import pytest
from django.db import connection

from orgs.models import Membership, Organization
from orgs.tests.factories import MembershipFactory, OrganizationFactory
from users.models import User
from users.tests.factories import UserFactory


@dataclass(frozen=True)
class OrgWithRoles:
    organization: Organization
    admin: User
    member: User
    outsider: User
    admin_membership: Membership
    member_membership: Membership


@pytest.fixture
def org_with_roles(db) -> OrgWithRoles:
    """One org with one admin and one member, plus a user in no org at all."""
    organization = OrganizationFactory.create(name="Acme", slug="acme")
    admin_membership = MembershipFactory.create(
        organization=organization, user__username="alice", admin=True
    )
    member_membership = MembershipFactory.create(
        organization=organization, user__username="bob"
    )
    return OrgWithRoles(
        organization=organization,
        admin=admin_membership.user,
        member=member_membership.user,
        outsider=UserFactory.create(username="mallory"),
        admin_membership=admin_membership,
        member_membership=member_membership,
    )


@pytest.fixture
def postgresql() -> None:
    """Skip a test that needs PostgreSQL where the database is another one.

    ``REQUIRE_SERVICES=1`` (set by CI) turns the skip into a failure, so a
    green CI run proves that the PostgreSQL-only tests really ran.
    """
    if connection.vendor == "postgresql":
        return
    message = f"Needs PostgreSQL; the database is {connection.vendor}."
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1: {message}")
    pytest.skip(message)


@pytest.fixture
def superuser(db) -> User:
    """A site administrator, for the admin's pages."""
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    """The test client, signed in as ``superuser``."""
    client.force_login(superuser)
    return client
