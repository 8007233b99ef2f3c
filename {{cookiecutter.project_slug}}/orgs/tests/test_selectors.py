"""Selectors: what each user may see, each read in exactly one query."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from orgs import selectors
from orgs.tests.factories import InviteFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


# the user's own memberships -------------------------------------------------


def test_list_memberships_joins_org_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create(
        organization__name="Zeta", user=org_with_roles.member, admin=True
    )
    OrganizationFactory.create(name="Hidden")
    with django_assert_num_queries(1):
        rows = [
            (m.organization.name, m.role)
            for m in selectors.list_memberships(user=org_with_roles.member)
        ]
    assert rows == [("Acme", "member"), ("Zeta", "admin")]


def test_list_memberships_non_member_and_anonymous_see_nothing(
    org_with_roles, django_assert_num_queries
):
    assert list(selectors.list_memberships(user=org_with_roles.outsider)) == []
    with django_assert_num_queries(0):
        assert list(selectors.list_memberships(user=AnonymousUser())) == []


def test_get_membership_returns_membership_with_org_in_one_query(
    org_with_roles, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = selectors.get_membership(user=org_with_roles.admin, org_slug="acme")
        assert found is not None
        assert found.organization.name == "Acme"
        assert found.user.username == "alice"
    assert found == org_with_roles.admin_membership


def test_get_membership_is_none_for_a_non_member(org_with_roles):
    assert (
        selectors.get_membership(user=org_with_roles.outsider, org_slug="acme") is None
    )


def test_get_membership_unknown_slug_looks_like_non_member(org_with_roles):
    """A missing org and a hidden one give the same answer: nothing leaks."""
    unknown = selectors.get_membership(user=org_with_roles.admin, org_slug="nope")
    hidden = selectors.get_membership(user=org_with_roles.outsider, org_slug="acme")
    assert unknown is None
    assert hidden is None


def test_get_membership_is_none_for_anonymous_without_query(
    org_with_roles, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert selectors.get_membership(user=AnonymousUser(), org_slug="acme") is None


def test_get_membership_and_members_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create()  # someone in another org
    with django_assert_num_queries(1):
        found = selectors.get_membership_and_members(
            user=org_with_roles.member, org_slug="acme"
        )
        assert found is not None
        own, members = found
        usernames = [m.user.username for m in members]
        assert own.organization.name == "Acme"
    assert own == org_with_roles.member_membership
    assert usernames == ["alice", "bob"]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_get_membership_and_members_is_none_for_non_members(org_with_roles, who):
    user = org_with_roles.outsider if who == "outsider" else AnonymousUser()
    assert selectors.get_membership_and_members(user=user, org_slug="acme") is None


def test_is_member(org_with_roles, django_assert_num_queries):
    org = org_with_roles.organization
    MembershipFactory.create(user=org_with_roles.outsider)  # a member elsewhere
    with django_assert_num_queries(1):
        assert selectors.is_member(user=org_with_roles.member, organization=org)
    assert not selectors.is_member(user=org_with_roles.outsider, organization=org)
    with django_assert_num_queries(0):
        assert not selectors.is_member(user=AnonymousUser(), organization=org)


# an organization's members --------------------------------------------------


def test_list_members_lists_org_members_with_users_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create(user__username="zed")  # another org's member
    with django_assert_num_queries(1):
        names = [
            m.user.username
            for m in selectors.list_members(organization=org_with_roles.organization)
        ]
    assert names == ["alice", "bob"]


def test_get_member(org_with_roles, django_assert_num_queries):
    target = org_with_roles.member_membership
    with django_assert_num_queries(1):
        found = selectors.get_member(
            organization=org_with_roles.organization, membership_id=target.pk
        )
        assert found is not None
        assert found.user.username == "bob"
        assert found.organization.slug == "acme"
    assert found == target


def test_get_member_is_none_for_an_id_from_another_org(org_with_roles):
    foreign = MembershipFactory.create()
    assert (
        selectors.get_member(
            organization=org_with_roles.organization, membership_id=foreign.pk
        )
        is None
    )


def test_has_member_with_email_matches_case_insensitively(org_with_roles):
    org = org_with_roles.organization
    assert selectors.has_member_with_email(organization=org, email="BOB@example.com")
    assert not selectors.has_member_with_email(
        organization=org, email=org_with_roles.outsider.email
    )


# invites --------------------------------------------------------------------


def test_list_pending_invites_excludes_accepted_expired_and_other_orgs(
    org_with_roles, django_assert_num_queries
):
    org = org_with_roles.organization
    now = timezone.now()
    pending = InviteFactory.create(
        organization=org, email="new@example.com", invited_by=org_with_roles.admin
    )
    InviteFactory.create(organization=org, expired=True)
    InviteFactory.create(organization=org, accepted_at=now - timedelta(minutes=1))
    InviteFactory.create(expires_at=now + timedelta(days=1))  # another org's invite
    with django_assert_num_queries(1):
        rows = [
            (i.email, i.invited_by and i.invited_by.username)
            for i in selectors.list_pending_invites(organization=org, now=now)
        ]
    assert rows == [(pending.email, "alice")]


def test_pending_invites_expire_at_their_expiry_time(org_with_roles):
    org = org_with_roles.organization
    invite = InviteFactory.create(organization=org)
    at_expiry = selectors.list_pending_invites(organization=org, now=invite.expires_at)
    assert list(at_expiry) == []
    just_before = invite.expires_at - timedelta(seconds=1)
    assert list(selectors.list_pending_invites(organization=org, now=just_before)) == [
        invite
    ]


def test_has_pending_invite_is_case_insensitive_and_ignores_expired(org_with_roles):
    org = org_with_roles.organization
    now = timezone.now()
    InviteFactory.create(organization=org, email="carol@example.com")
    InviteFactory.create(organization=org, email="dave@example.com", expired=True)
    assert selectors.has_pending_invite(
        organization=org, email="Carol@Example.com", now=now
    )
    assert not selectors.has_pending_invite(
        organization=org, email="dave@example.com", now=now
    )


def test_get_invite(org_with_roles, django_assert_num_queries):
    invite = InviteFactory.create(organization=org_with_roles.organization)
    with django_assert_num_queries(1):
        found = selectors.get_invite(token=invite.token)
        assert found is not None
        assert found.organization.name == "Acme"
    assert found == invite
    assert selectors.get_invite(token="no-such-token") is None


# organizations --------------------------------------------------------------


def test_is_organization_slug_taken(org_with_roles):
    assert selectors.is_organization_slug_taken("acme") is True
    assert selectors.is_organization_slug_taken("free-slug") is False


@pytest.mark.parametrize("slug", ["new", "invites"])
def test_reserved_org_slugs_are_taken_without_query(slug, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.is_organization_slug_taken(slug) is True


def test_existence_checks_take_one_query_each(
    org_with_roles, django_assert_num_queries
):
    org = org_with_roles.organization
    now = timezone.now()
    with django_assert_num_queries(1):
        assert selectors.has_member_with_email(
            organization=org, email="bob@example.com"
        )
    with django_assert_num_queries(1):
        assert not selectors.has_pending_invite(
            organization=org, email="bob@example.com", now=now
        )
    with django_assert_num_queries(1):
        assert selectors.is_organization_slug_taken("acme")
