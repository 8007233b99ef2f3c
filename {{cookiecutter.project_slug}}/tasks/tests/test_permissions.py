"""Permissions are pure functions: these tests never touch the database."""

from typing import Any

import pytest

from orgs.models import Membership
from tasks import permissions
from tasks.models import Task
from users.models import User

ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER
ORG = 10


def membership(role: str, *, user_id: int = 1, org_id: int = ORG) -> Membership:
    """An unsaved membership: enough for the policy, no query possible."""
    return Membership(pk=user_id, role=role, organization_id=org_id, user_id=user_id)


def task(*, created_by_id=None, assigned_to_id=None, org_id: int = ORG) -> Task:
    return Task(
        pk=99,
        organization_id=org_id,
        created_by_id=created_by_id,
        assigned_to_id=assigned_to_id,
    )


USER = User(pk=1, username="bob")


@pytest.mark.parametrize(
    ("role", "created_by_id", "assigned_to_id", "expected"),
    [
        (ADMIN, 2, 3, True),
        (ADMIN, None, None, True),
        (MEMBER, 1, None, True),
        (MEMBER, 2, 1, True),
        (MEMBER, 1, 1, True),
        (MEMBER, 2, 3, False),
        (MEMBER, None, None, False),
    ],
)
def test_can_edit_task(role, created_by_id, assigned_to_id, expected):
    acting = membership(role)
    target = task(created_by_id=created_by_id, assigned_to_id=assigned_to_id)
    assert (
        permissions.can_edit_task(membership=acting, user=USER, task=target) is expected
    )


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_can_edit_task_refuses_a_task_of_another_org(role):
    foreign = task(created_by_id=1, assigned_to_id=1, org_id=20)
    assert (
        permissions.can_edit_task(membership=membership(role), user=USER, task=foreign)
        is False
    )


def test_an_unsaved_user_is_never_the_creator_of_an_unowned_task():
    nobody = User(username="ghost")
    target = task(created_by_id=None, assigned_to_id=None)
    assert (
        permissions.can_edit_task(
            membership=membership(MEMBER), user=nobody, task=target
        )
        is False
    )


@pytest.mark.parametrize(("role", "expected"), [(ADMIN, True), (MEMBER, False)])
def test_can_delete_task(role, expected):
    assert permissions.can_delete_task(membership=membership(role)) is expected


@pytest.mark.parametrize(("role", "expected"), [(ADMIN, True), (MEMBER, False)])
def test_can_export_tasks(role, expected):
    assert permissions.can_export_tasks(membership=membership(role)) is expected


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_any_member_can_create_a_task(role):
    assert permissions.can_create_task(membership=membership(role)) is True


def test_permissions_accept_plain_objects():
    """The chapter's dummies: the rules read attributes only."""

    class Dummy:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    acting: Any = Dummy(role=MEMBER, organization_id=ORG)
    user: Any = Dummy(pk=1, is_authenticated=True)
    target: Any = Dummy(organization_id=ORG, created_by_id=2, assigned_to_id=1)
    assert permissions.can_edit_task(membership=acting, user=user, task=target) is True
