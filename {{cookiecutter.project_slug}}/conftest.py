"""Fixtures shared by every app's tests."""

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from redis import Redis, RedisError

from orgs.models import Membership, Organization
from orgs.tests.factories import MembershipFactory, OrganizationFactory
from users.models import User
from users.tests.factories import UserFactory, log_in_verified

# Tests with generated input (tests/test_input_fuzz.py): `check`, the default,
# keeps `make check` fast and the same on every run; `deep` is for a
# deliberate run: HYPOTHESIS_PROFILE=deep pytest tests/test_input_fuzz.py
_hypothesis_base = hypothesis_settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile(
    "check", _hypothesis_base, max_examples=3, derandomize=True
)
hypothesis_settings.register_profile("deep", _hypothesis_base, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "check"))


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


def skip_or_fail(message: str) -> NoReturn:
    """Skip a test whose service is missing, with ``message``.

    ``REQUIRE_SERVICES=1`` (set by CI) turns the skip into a failure, so a
    green CI run proves that the tests needing PostgreSQL or Redis really ran.
    """
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1: {message}")
    pytest.skip(message)


@pytest.fixture
def postgresql() -> None:
    """Skip (see ``skip_or_fail``) a test that needs PostgreSQL on another database."""
    if connection.vendor != "postgresql":
        skip_or_fail(f"Needs PostgreSQL; the database is {connection.vendor}.")


@pytest.fixture
def redis_url() -> str:
    """The Redis of this machine: ``REDIS_URL``, else ``redis://127.0.0.1:6379/0``.

    Skips (see ``skip_or_fail``) a test that needs it where it does not answer.
    """
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as error:
        skip_or_fail(f"Needs Redis at {url}: {error}")
    return url


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts from an empty cache: no count of an earlier test's
    requests (the abuse limits, the API's throttling) answers 429 in it."""
    cache.clear()


@pytest.fixture
def security_events(caplog) -> Callable[[], list[logging.LogRecord]]:
    """The records logged on the ``security`` logger so far, in order."""
    caplog.set_level(logging.INFO, logger="security")
    return lambda: [record for record in caplog.records if record.name == "security"]


@pytest.fixture
def superuser(db) -> User:
    """A site administrator, for the admin's pages."""
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    """The test client, signed in as ``superuser`` with a second factor."""
    log_in_verified(client, superuser)
    return client
