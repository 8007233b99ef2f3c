"""Organization and membership workflows: every rule, and nothing written on refusal."""

import pytest

from core.exceptions import ConflictError, DomainError
from orgs.models import Membership, Organization
from orgs.services import (
    add_member,
    change_member_role,
    create_organization,
    remove_member,
    remove_members,
    rename_organization,
)
from orgs.tests.factories import MembershipFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER


def role_of(membership: Membership) -> str:
    return Membership.objects.get(pk=membership.pk).role


# create_organization ------------------------------------------------------


def test_create_organization_makes_creator_its_admin():
    creator = UserFactory.create()
    result = create_organization(actor=creator, name="  Acme  ")
    org = Organization.objects.get()
    assert result.organization == org
    assert org.name == "Acme"
    assert org.slug == "acme"
    membership = Membership.objects.get(organization=org)
    assert result.membership == membership
    assert membership.user == creator
    assert membership.role == ADMIN


def test_create_organization_gives_unique_slugs():
    creator = UserFactory.create()
    first = create_organization(actor=creator, name="Acme").organization
    second = create_organization(actor=creator, name="Acme").organization
    third = create_organization(actor=creator, name="ACME").organization
    assert [first.slug, second.slug, third.slug] == ["acme", "acme-2", "acme-3"]


@pytest.mark.parametrize(("name", "slug"), [("New", "new-2"), ("Invites", "invites-2")])
def test_create_organization_never_takes_a_reserved_slug(name, slug):
    org = create_organization(actor=UserFactory.create(), name=name).organization
    assert org.slug == slug


def test_create_organization_falls_back_when_name_has_no_slug_characters():
    org = create_organization(actor=UserFactory.create(), name="!!!").organization
    assert org.name == "!!!"
    assert org.slug == "org"


@pytest.mark.parametrize("name", ["", "   "])
def test_create_organization_refuses_blank_name(name):
    with pytest.raises(DomainError) as refused:
        create_organization(actor=UserFactory.create(), name=name)
    assert refused.value.field == "name"
    assert "name" in refused.value.message
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


# rename_organization ------------------------------------------------------


def test_rename_organization_keeps_the_slug(org_with_roles):
    org = org_with_roles.organization
    rename_organization(actor=org_with_roles.admin, organization=org, name=" Acme Ltd ")
    org.refresh_from_db()
    assert (org.name, org.slug) == ("Acme Ltd", "acme")


def test_rename_organization_refuses_blank_name(org_with_roles):
    org = org_with_roles.organization
    with pytest.raises(DomainError) as refused:
        rename_organization(actor=org_with_roles.admin, organization=org, name=" ")
    assert refused.value.field == "name"
    assert Organization.objects.get(pk=org.pk).name == "Acme"


# add_member ---------------------------------------------------------------


def test_add_member_with_role(org_with_roles):
    newcomer = UserFactory.create()
    membership = add_member(
        actor=org_with_roles.admin,
        organization=org_with_roles.organization,
        user=newcomer,
        role=ADMIN,
    )
    assert membership.pk is not None
    assert role_of(membership) == ADMIN
    assert membership.organization == org_with_roles.organization


def test_add_member_refuses_duplicate_and_writes_nothing(org_with_roles):
    before = Membership.objects.count()
    with pytest.raises(ConflictError) as refused:
        add_member(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            user=org_with_roles.member,
            role=ADMIN,
        )
    assert refused.value.message == "bob is already a member of Acme."
    assert Membership.objects.count() == before
    assert role_of(org_with_roles.member_membership) == MEMBER


def test_add_member_refuses_invalid_role(org_with_roles):
    with pytest.raises(DomainError) as refused:
        add_member(
            actor=org_with_roles.admin,
            organization=org_with_roles.organization,
            user=org_with_roles.outsider,
            role="owner",
        )
    assert refused.value.field == "role"
    assert "owner" in refused.value.message
    assert not Membership.objects.filter(user=org_with_roles.outsider).exists()


# change_member_role -------------------------------------------------------


def test_change_member_role_promotes(org_with_roles):
    result = change_member_role(
        actor=org_with_roles.admin,
        membership=org_with_roles.member_membership,
        role=ADMIN,
    )
    assert result.role == ADMIN
    assert role_of(org_with_roles.member_membership) == ADMIN


def test_change_member_role_to_the_same_role_is_a_no_op(org_with_roles):
    result = change_member_role(
        actor=org_with_roles.admin,
        membership=org_with_roles.admin_membership,
        role=ADMIN,
    )
    assert result.role == ADMIN
    assert role_of(org_with_roles.admin_membership) == ADMIN


def test_change_member_role_refuses_demoting_the_last_admin(org_with_roles):
    with pytest.raises(ConflictError) as refused:
        change_member_role(
            actor=org_with_roles.admin,
            membership=org_with_roles.admin_membership,
            role=MEMBER,
        )
    message = refused.value.message
    assert "alice" in message
    assert "Acme" in message
    assert "last admin" in message
    assert role_of(org_with_roles.admin_membership) == ADMIN


def test_change_member_role_demotes_when_another_admin_remains(org_with_roles):
    second = MembershipFactory.create(
        organization=org_with_roles.organization, admin=True
    )
    change_member_role(
        actor=org_with_roles.admin,
        membership=org_with_roles.admin_membership,
        role=MEMBER,
    )
    assert role_of(org_with_roles.admin_membership) == MEMBER
    assert role_of(second) == ADMIN


def test_change_member_role_reads_the_role_from_the_database(org_with_roles):
    """A stale in-memory role cannot sneak past the last-admin rule."""
    stale = Membership.objects.get(pk=org_with_roles.admin_membership.pk)
    stale.role = MEMBER  # as a form would set it before calling the service
    with pytest.raises(ConflictError):
        change_member_role(actor=org_with_roles.admin, membership=stale, role=MEMBER)
    assert role_of(stale) == ADMIN


def test_admins_of_another_org_do_not_count(org_with_roles):
    MembershipFactory.create(admin=True)  # admin of a different org
    with pytest.raises(ConflictError):
        change_member_role(
            actor=org_with_roles.admin,
            membership=org_with_roles.admin_membership,
            role=MEMBER,
        )


def test_change_member_role_refuses_invalid_role(org_with_roles):
    with pytest.raises(DomainError) as refused:
        change_member_role(
            actor=org_with_roles.admin,
            membership=org_with_roles.member_membership,
            role="owner",
        )
    assert refused.value.field == "role"
    assert role_of(org_with_roles.member_membership) == MEMBER


# remove_member ------------------------------------------------------------


def test_remove_member(org_with_roles):
    remove_member(
        actor=org_with_roles.admin, membership=org_with_roles.member_membership
    )
    assert not Membership.objects.filter(
        pk=org_with_roles.member_membership.pk
    ).exists()
    assert Membership.objects.filter(pk=org_with_roles.admin_membership.pk).exists()


def test_remove_member_refuses_the_last_admin(org_with_roles):
    with pytest.raises(ConflictError) as refused:
        remove_member(
            actor=org_with_roles.admin, membership=org_with_roles.admin_membership
        )
    message = refused.value.message
    assert message.startswith("Cannot remove alice:")
    assert "last admin of Acme" in message
    assert (
        Membership.objects.filter(organization=org_with_roles.organization).count() == 2
    )
    assert role_of(org_with_roles.admin_membership) == ADMIN


def test_remove_an_admin_when_another_admin_remains(org_with_roles):
    MembershipFactory.create(organization=org_with_roles.organization, admin=True)
    remove_member(
        actor=org_with_roles.admin, membership=org_with_roles.admin_membership
    )
    assert not Membership.objects.filter(pk=org_with_roles.admin_membership.pk).exists()


def test_remove_members_removes_all_or_none(org_with_roles):
    both = [org_with_roles.member_membership, org_with_roles.admin_membership]
    with pytest.raises(ConflictError):
        remove_members(actor=org_with_roles.admin, memberships=both)
    assert (
        Membership.objects.filter(organization=org_with_roles.organization).count() == 2
    )

    removed = remove_members(
        actor=org_with_roles.admin, memberships=[org_with_roles.member_membership]
    )
    assert removed == 1
    assert not Membership.objects.filter(
        pk=org_with_roles.member_membership.pk
    ).exists()


def test_a_role_change_is_a_security_event(org_with_roles, security_events):
    change_member_role(
        actor=org_with_roles.admin,
        membership=org_with_roles.member_membership,
        role=ADMIN,
    )

    (record,) = security_events()
    assert record.event == "role_changed"
    assert record.username == org_with_roles.admin.username
    assert record.member_id == org_with_roles.member.pk
    assert record.role == ADMIN
