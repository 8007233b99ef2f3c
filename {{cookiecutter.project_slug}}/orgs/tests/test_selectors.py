"""Selectors: what each user may see, each read in exactly one query."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from orgs import selectors
from orgs.tests.factories import InviteFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_get_membership_or_404_returns_membership_with_org_in_one_query(
    org_with_roles, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = selectors.get_membership_or_404(
            user=org_with_roles.admin, org_slug="acme"
        )
        assert found.organization.name == "Acme"
        assert found.user.username == "alice"
    assert found == org_with_roles.admin_membership


def test_get_membership_or_404_refuses_non_member(org_with_roles):
    with pytest.raises(Http404):
        selectors.get_membership_or_404(user=org_with_roles.outsider, org_slug="acme")


def test_get_membership_or_404_unknown_slug_looks_like_non_member(org_with_roles):
    with pytest.raises(Http404) as unknown:
        selectors.get_membership_or_404(user=org_with_roles.admin, org_slug="nope")
    with pytest.raises(Http404) as hidden:
        selectors.get_membership_or_404(user=org_with_roles.outsider, org_slug="acme")
    assert str(unknown.value) == str(hidden.value)


def test_get_membership_or_404_refuses_anonymous_without_query(
    org_with_roles, django_assert_num_queries
):
    with django_assert_num_queries(0), pytest.raises(Http404):
        selectors.get_membership_or_404(user=AnonymousUser(), org_slug="acme")


def test_get_membership_and_members_or_404_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create()  # someone in another org
    with django_assert_num_queries(1):
        own, members = selectors.get_membership_and_members_or_404(
            user=org_with_roles.member, org_slug="acme"
        )
        usernames = [m.user.username for m in members]
        assert own.organization.name == "Acme"
    assert own == org_with_roles.member_membership
    assert usernames == ["alice", "bob"]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_get_membership_and_members_or_404_refuses_non_members(org_with_roles, who):
    user = org_with_roles.outsider if who == "outsider" else AnonymousUser()
    with pytest.raises(Http404):
        selectors.get_membership_and_members_or_404(user=user, org_slug="acme")


def test_get_org_for_user_or_404(org_with_roles, django_assert_num_queries):
    with django_assert_num_queries(1):
        org = selectors.get_org_for_user_or_404(
            user=org_with_roles.member, org_slug="acme"
        )
    assert org == org_with_roles.organization
    with pytest.raises(Http404):
        selectors.get_org_for_user_or_404(user=org_with_roles.outsider, org_slug="acme")
    with pytest.raises(Http404):
        selectors.get_org_for_user_or_404(user=AnonymousUser(), org_slug="acme")


def test_organizations_for_user_lists_only_own_orgs(
    org_with_roles, django_assert_num_queries
):
    other = OrganizationFactory.create(name="Beta")
    MembershipFactory.create(organization=other, user=org_with_roles.admin)
    OrganizationFactory.create(name="Hidden")
    with django_assert_num_queries(1):
        names = [
            o.name for o in selectors.organizations_for_user(user=org_with_roles.admin)
        ]
    assert names == ["Acme", "Beta"]


def test_organizations_for_user_non_member_and_anonymous_see_nothing(
    org_with_roles, django_assert_num_queries
):
    assert list(selectors.organizations_for_user(user=org_with_roles.outsider)) == []
    with django_assert_num_queries(0):
        assert list(selectors.organizations_for_user(user=AnonymousUser())) == []


def test_memberships_for_user_joins_org_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create(
        organization__name="Zeta", user=org_with_roles.member, admin=True
    )
    with django_assert_num_queries(1):
        rows = [
            (m.organization.name, m.role)
            for m in selectors.memberships_for_user(user=org_with_roles.member)
        ]
    assert rows == [("Acme", "member"), ("Zeta", "admin")]


def test_memberships_for_user_non_member_and_anonymous_see_nothing(
    org_with_roles, django_assert_num_queries
):
    assert list(selectors.memberships_for_user(user=org_with_roles.outsider)) == []
    with django_assert_num_queries(0):
        assert list(selectors.memberships_for_user(user=AnonymousUser())) == []


def test_members_of_lists_org_members_with_users_in_one_query(
    org_with_roles, django_assert_num_queries
):
    MembershipFactory.create(user__username="zed")  # another org's member
    with django_assert_num_queries(1):
        names = [
            m.user.username
            for m in selectors.members_of(organization=org_with_roles.organization)
        ]
    assert names == ["alice", "bob"]


def test_get_member_of_org_or_404(org_with_roles, django_assert_num_queries):
    target = org_with_roles.member_membership
    with django_assert_num_queries(1):
        found = selectors.get_member_of_org_or_404(
            organization=org_with_roles.organization, membership_id=target.pk
        )
        assert found.user.username == "bob"
        assert found.organization.slug == "acme"
    assert found == target


def test_get_member_of_org_or_404_refuses_id_from_another_org(org_with_roles):
    foreign = MembershipFactory.create()
    with pytest.raises(Http404):
        selectors.get_member_of_org_or_404(
            organization=org_with_roles.organization, membership_id=foreign.pk
        )


def test_is_member_and_get_membership(org_with_roles, django_assert_num_queries):
    org = org_with_roles.organization
    with django_assert_num_queries(1):
        assert selectors.is_member(user=org_with_roles.member, organization=org)
    with django_assert_num_queries(1):
        assert (
            selectors.get_membership(user=org_with_roles.admin, organization=org)
            == org_with_roles.admin_membership
        )
    assert not selectors.is_member(user=org_with_roles.outsider, organization=org)
    assert (
        selectors.get_membership(user=org_with_roles.outsider, organization=org) is None
    )
    with django_assert_num_queries(0):
        assert not selectors.is_member(user=AnonymousUser(), organization=org)
        assert selectors.get_membership(user=AnonymousUser(), organization=org) is None


def test_count_admins(org_with_roles, django_assert_num_queries):
    MembershipFactory.create(admin=True)  # an admin elsewhere does not count
    with django_assert_num_queries(1):
        count = selectors.count_admins(organization=org_with_roles.organization)
    assert count == 1


def test_pending_invites_exclude_accepted_expired_and_other_orgs(
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
            for i in selectors.pending_invites_for(organization=org, now=now)
        ]
    assert rows == [(pending.email, "alice")]


def test_pending_invites_expire_at_their_expiry_time(org_with_roles):
    org = org_with_roles.organization
    invite = InviteFactory.create(organization=org)
    assert (
        list(selectors.pending_invites_for(organization=org, now=invite.expires_at))
        == []
    )
    just_before = invite.expires_at - timedelta(seconds=1)
    assert list(selectors.pending_invites_for(organization=org, now=just_before)) == [
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


def test_get_invite_by_token(org_with_roles, django_assert_num_queries):
    invite = InviteFactory.create(organization=org_with_roles.organization)
    with django_assert_num_queries(1):
        found = selectors.get_invite_by_token(token=invite.token)
        assert found is not None
        assert found.organization.name == "Acme"
    assert selectors.get_invite_by_token(token="no-such-token") is None


def test_membership_exists_matches_email_case_insensitively(org_with_roles):
    org = org_with_roles.organization
    assert selectors.membership_exists(organization=org, email="BOB@example.com")
    assert not selectors.membership_exists(
        organization=org, email=org_with_roles.outsider.email
    )


def test_org_slug_is_taken(org_with_roles):
    assert selectors.org_slug_is_taken("acme") is True
    assert selectors.org_slug_is_taken("free-slug") is False


@pytest.mark.parametrize("slug", ["new", "invites"])
def test_reserved_org_slugs_are_taken_without_query(slug, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.org_slug_is_taken(slug) is True


def test_existence_checks_take_one_query_each(
    org_with_roles, django_assert_num_queries
):
    org = org_with_roles.organization
    now = timezone.now()
    with django_assert_num_queries(1):
        assert selectors.membership_exists(organization=org, email="bob@example.com")
    with django_assert_num_queries(1):
        assert not selectors.has_pending_invite(
            organization=org, email="bob@example.com", now=now
        )
    with django_assert_num_queries(1):
        assert selectors.org_slug_is_taken("acme")
