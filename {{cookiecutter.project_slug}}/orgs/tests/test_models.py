"""What the orgs models guarantee whoever writes: constraints and deletion rules."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from orgs.models import Invite, Membership, Organization
from orgs.tests.factories import InviteFactory, MembershipFactory
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# an organization keeps an admin when users are deleted ----------------------


def test_deleting_the_only_admin_of_an_organization_is_refused(org_with_roles):
    alice = org_with_roles.admin
    with pytest.raises(ProtectedError) as refused:
        alice.delete()
    assert "Membership.user" in str(refused.value)
    assert refused.value.protected_objects == {org_with_roles.admin_membership}
    assert User.objects.filter(pk=alice.pk).exists()
    assert Membership.objects.filter(organization__slug="acme").count() == 2


def test_deleting_an_admin_while_another_remains(org_with_roles):
    MembershipFactory.create(organization=org_with_roles.organization, admin=True)
    org_with_roles.admin.delete()
    assert not Membership.objects.filter(user__username="alice").exists()


def test_deleting_a_member_deletes_their_memberships(org_with_roles):
    org_with_roles.member.delete()
    assert not Membership.objects.filter(user__username="bob").exists()


def test_deleting_every_admin_of_an_organization_at_once_is_refused(org_with_roles):
    second = MembershipFactory.create(
        organization=org_with_roles.organization, admin=True
    )
    both = User.objects.filter(pk__in=[org_with_roles.admin.pk, second.user.pk])
    with pytest.raises(ProtectedError):
        both.delete()
    assert Membership.objects.filter(organization__slug="acme").count() == 3


def test_a_refused_user_deletion_deletes_nothing_of_the_others(org_with_roles):
    mallory = org_with_roles.outsider
    with pytest.raises(ProtectedError):
        User.objects.filter(pk__in=[org_with_roles.admin.pk, mallory.pk]).delete()
    assert User.objects.filter(pk=mallory.pk).exists()


def test_an_admin_of_several_organizations_is_kept_for_the_one_they_alone_run(
    org_with_roles,
):
    alice = org_with_roles.admin
    elsewhere = MembershipFactory.create(user=alice, admin=True)
    MembershipFactory.create(organization=elsewhere.organization, admin=True)
    MembershipFactory.create(organization=org_with_roles.organization, admin=True)
    lonely = MembershipFactory.create(user=alice, admin=True)
    with pytest.raises(ProtectedError) as refused:
        alice.delete()
    assert refused.value.protected_objects == {lonely}


def test_deleting_the_organization_takes_its_memberships(org_with_roles):
    org_with_roles.organization.delete()
    assert not Membership.objects.exists()
    assert User.objects.filter(pk=org_with_roles.admin.pk).exists()


def test_last_admins_of_a_set_of_memberships(org_with_roles):
    org = org_with_roles.organization
    second = MembershipFactory.create(organization=org, admin=True)
    admins = Membership.objects.filter(organization=org, role="admin")
    assert set(admins.last_admins()) == {org_with_roles.admin_membership, second}
    one = Membership.objects.filter(pk=second.pk)
    assert list(one.last_admins()) == []
    members = Membership.objects.filter(pk=org_with_roles.member_membership.pk)
    assert list(members.last_admins()) == []


# invites ----------------------------------------------------------------------


def test_an_address_has_one_open_invite_per_organization(org_with_roles):
    org = org_with_roles.organization
    InviteFactory.create(organization=org, email="carol@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        InviteFactory.create(organization=org, email="Carol@Example.com")
    InviteFactory.create(email="carol@example.com")  # another organization


def test_expired_invites_stay_open_until_superseded(org_with_roles):
    """The database cannot know the time: an expired invite still holds the slot
    until ``invite_member`` revokes it."""
    org = org_with_roles.organization
    InviteFactory.create(organization=org, email="carol@example.com", expired=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        InviteFactory.create(organization=org, email="carol@example.com")


@pytest.mark.parametrize(
    "ended",
    [
        pytest.param({"accepted_at": timezone.now}, id="accepted"),
        pytest.param({"revoked_at": timezone.now}, id="revoked"),
    ],
)
def test_accepted_and_revoked_invites_free_the_address(org_with_roles, ended):
    org = org_with_roles.organization
    InviteFactory.create(
        organization=org,
        email="carol@example.com",
        **{field: value() for field, value in ended.items()},
    )
    InviteFactory.create(organization=org, email="carol@example.com")
    assert Invite.objects.filter(organization=org).count() == 2


def pending(org_with_roles):
    now = timezone.now()
    return set(
        Invite.objects.filter(organization=org_with_roles.organization).pending(now=now)
    )


def test_pending_means_open_unexpired_and_backed_by_an_admin(org_with_roles):
    alice = org_with_roles.admin
    org = org_with_roles.organization
    live = InviteFactory.create(organization=org, invited_by=alice)
    InviteFactory.create(organization=org, invited_by=alice, expired=True)
    InviteFactory.create(organization=org, invited_by=alice, revoked_at=timezone.now())
    InviteFactory.create(organization=org, invited_by=alice, accepted_at=timezone.now())
    InviteFactory.create(organization=org, invited_by=org_with_roles.member)
    InviteFactory.create(organization=org, invited_by=None)
    assert pending(org_with_roles) == {live}


@pytest.mark.parametrize(
    "loses_rights",
    [
        pytest.param(lambda m: m.delete(), id="removed"),
        pytest.param(
            lambda m: Membership.objects.filter(pk=m.pk).update(role="member"),
            id="demoted",
        ),
        pytest.param(
            lambda m: User.objects.filter(pk=m.user_id).update(is_active=False),
            id="deactivated",
        ),
        pytest.param(lambda m: m.user.delete(), id="deleted"),
    ],
)
def test_an_invite_dies_with_its_inviters_rights(org_with_roles, loses_rights):
    org = org_with_roles.organization
    MembershipFactory.create(organization=org, admin=True)  # the org keeps one
    invite = InviteFactory.create(organization=org, invited_by=org_with_roles.admin)
    assert pending(org_with_roles) == {invite}

    loses_rights(org_with_roles.admin_membership)

    assert pending(org_with_roles) == set()
    assert not Invite.objects.backed_by_inviter().filter(pk=invite.pk).exists()


def test_a_superusers_invite_lives_while_they_are_one(org_with_roles):
    root = UserFactory.create(is_staff=True, is_superuser=True)
    invite = InviteFactory.create(
        organization=org_with_roles.organization, invited_by=root
    )
    assert pending(org_with_roles) == {invite}
    User.objects.filter(pk=root.pk).update(is_superuser=False)
    assert pending(org_with_roles) == set()


def test_refusal_reasons(org_with_roles):
    now = timezone.now()
    invite = InviteFactory.build(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expires_at=now + timedelta(days=1),
    )

    def reason(**kwargs):
        return invite.refusal_reason(email="carol@example.com", now=now, **kwargs)

    assert reason() is None
    assert "no longer an admin of Acme" in reason(backed_by_inviter=False)
    invite.revoked_at = now
    assert reason().startswith("This invite was withdrawn.")
    invite.accepted_at = now
    assert reason() == "This invite has already been used."


def test_organizations_have_unique_slugs(org_with_roles):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Acme again", slug="acme")
