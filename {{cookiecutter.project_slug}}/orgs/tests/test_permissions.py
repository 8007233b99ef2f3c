"""Permissions are pure functions: these tests never touch the database."""

from typing import cast

import pytest

from orgs import permissions
from orgs.models import Membership

ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER


def membership(role: str, *, pk: int = 1, org_id: int = 10) -> Membership:
    """An unsaved membership: enough for the policy, no query possible."""
    return Membership(pk=pk, role=role, organization_id=org_id, user_id=pk)


@pytest.mark.parametrize(
    ("role", "expected"), [(ADMIN, True), (MEMBER, False), (None, False)]
)
def test_can_manage_members(role, expected):
    acting = membership(role) if role else None
    assert permissions.can_manage_members(membership=acting) is expected


@pytest.mark.parametrize(
    ("role", "expected"), [(ADMIN, True), (MEMBER, False), (None, False)]
)
def test_can_invite_members(role, expected):
    acting = membership(role) if role else None
    assert permissions.can_invite_members(membership=acting) is expected


@pytest.mark.parametrize(
    ("role", "expected"), [(ADMIN, True), (MEMBER, False), (None, False)]
)
def test_can_edit_organization(role, expected):
    acting = membership(role) if role else None
    assert permissions.can_edit_organization(membership=acting) is expected


@pytest.mark.parametrize(
    ("role", "expected"), [(ADMIN, True), (MEMBER, False), (None, False)]
)
def test_can_change_role_in_same_org(role, expected):
    acting = membership(role, pk=1) if role else None
    target = membership(MEMBER, pk=2)
    assert permissions.can_change_role(membership=acting, target=target) is expected


def test_member_cannot_change_own_role():
    acting = membership(MEMBER, pk=1)
    assert permissions.can_change_role(membership=acting, target=acting) is False


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_can_change_role_refuses_target_in_another_org(role):
    acting = membership(role, pk=1, org_id=10)
    target = membership(MEMBER, pk=2, org_id=20)
    assert permissions.can_change_role(membership=acting, target=target) is False


@pytest.mark.parametrize(
    ("role", "expected"), [(ADMIN, True), (MEMBER, False), (None, False)]
)
def test_can_remove_other_member(role, expected):
    acting = membership(role, pk=1) if role else None
    target = membership(MEMBER, pk=2)
    assert permissions.can_remove_member(membership=acting, target=target) is expected


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_anyone_may_remove_themselves(role):
    acting = membership(role, pk=1)
    itself = membership(role, pk=1)
    assert permissions.can_remove_member(membership=acting, target=itself) is True


def test_member_cannot_remove_an_admin():
    acting = membership(MEMBER, pk=1)
    target = membership(ADMIN, pk=2)
    assert permissions.can_remove_member(membership=acting, target=target) is False


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_can_remove_member_refuses_target_in_another_org(role):
    acting = membership(role, pk=1, org_id=10)
    # Same pk in another org must not pass for "removing yourself" either.
    for target in (
        membership(MEMBER, pk=2, org_id=20),
        membership(MEMBER, pk=1, org_id=20),
    ):
        assert permissions.can_remove_member(membership=acting, target=target) is False


def test_permissions_accept_plain_objects():
    """The rules read attributes only, as the chapter's dummy objects show."""

    class Dummy:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    acting = cast(Membership, Dummy(pk=1, role=ADMIN, organization_id=10))
    target = cast(Membership, Dummy(pk=2, role=MEMBER, organization_id=10))
    assert permissions.can_change_role(membership=acting, target=target) is True
    assert permissions.can_remove_member(membership=acting, target=target) is True
