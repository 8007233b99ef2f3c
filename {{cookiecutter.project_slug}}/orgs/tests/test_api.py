"""The orgs API answers like the orgs pages: same rules, same rows, in JSON."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from orgs.models import Invite, Membership, Organization
from orgs.tests.authorization import ALLOWED_ROLES
from orgs.tests.factories import InviteFactory, MembershipFactory
from orgs.tests.test_views import state
from users.models import User
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# (action of the shared table, method, url name, what the url points at)
ENDPOINTS = [
    ("detail", "get", "orgs-api:detail", None),
    ("list_members", "get", "orgs-api:members", None),
    ("change_role", "put", "orgs-api:member", "member"),
    ("remove_member", "delete", "orgs-api:member", "member"),
    ("list_invites", "get", "orgs-api:invites", None),
    ("invite", "post", "orgs-api:invites", None),
    ("revoke_invite", "delete", "orgs-api:invite", "invite"),
    ("resend_invite", "post", "orgs-api:invite-resend", "invite"),
]
# Those that need only an account: (method, url name, needs the invite's token)
ACCOUNT_ENDPOINTS = [
    ("get", "orgs-api:list", False),
    ("post", "orgs-api:list", False),
    ("get", "orgs-api:invitation", True),
    ("post", "orgs-api:invitation-accept", True),
]
INPUT = {"role": "admin", "email": "dave@example.com", "name": "Posted"}


@pytest.fixture(autouse=True)
def no_throttling_counts_from_earlier_tests():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def pending(org_with_roles):
    """An invitation alice sent to carol."""
    return InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=org_with_roles.admin,
    )


def api_url(name, org_slug="acme", **kwargs):
    if name in ("orgs-api:list",) or "token" in kwargs:
        return reverse(name, kwargs=kwargs)
    return reverse(name, kwargs={"org_slug": org_slug, **kwargs})


def someone_else(org_with_roles, user):
    """The membership an action is aimed at: never the caller's own."""
    if user == org_with_roles.member:
        return org_with_roles.admin_membership
    return org_with_roles.member_membership


def call(api, org_with_roles, pending, user, method, name, target):
    kwargs = {}
    if target == "member":
        kwargs["membership_id"] = someone_else(org_with_roles, user).pk
    elif target == "invite":
        kwargs["invite_id"] = pending.pk
    data = INPUT if method in ("post", "put") else None
    return getattr(api, method)(api_url(name, **kwargs), data, format="json")


# the authorization matrix: the pages' table -------------------------------


@pytest.mark.parametrize(("action", "method", "name", "target"), ENDPOINTS)
def test_anonymous_gets_401(api, org_with_roles, pending, action, method, name, target):
    before = state()
    response = call(api, org_with_roles, pending, None, method, name, target)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert state() == before


@pytest.mark.parametrize(("method", "name", "needs_token"), ACCOUNT_ENDPOINTS)
def test_anonymous_gets_401_where_an_account_is_enough(
    api, pending, method, name, needs_token
):
    kwargs = {"token": pending.token} if needs_token else {}
    response = getattr(api, method)(api_url(name, **kwargs), INPUT, format="json")
    assert response.status_code == 401
    assert not Organization.objects.filter(name="Posted").exists()


@pytest.mark.parametrize(("action", "method", "name", "target"), ENDPOINTS)
def test_non_member_gets_404(
    api, org_with_roles, pending, action, method, name, target
):
    before = state()
    api.force_authenticate(org_with_roles.outsider)
    response = call(
        api, org_with_roles, pending, org_with_roles.outsider, method, name, target
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    for secret in ("Acme", "alice", "bob", "carol"):
        assert secret not in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("role", ["admin", "member"])
@pytest.mark.parametrize(("action", "method", "name", "target"), ENDPOINTS)
def test_members_get_what_the_table_allows(
    api, org_with_roles, pending, role, action, method, name, target
):
    user = getattr(org_with_roles, role)
    before = state()
    api.force_authenticate(user)
    response = call(api, org_with_roles, pending, user, method, name, target)
    if role in ALLOWED_ROLES[action]:
        assert response.status_code in (200, 201, 204), response.content
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert state() == before


@pytest.mark.parametrize("name", ["orgs-api:invite", "orgs-api:invite-resend"])
def test_an_invite_of_another_org_is_404(api, org_with_roles, name):
    foreign = InviteFactory.create()
    api.force_authenticate(org_with_roles.admin)
    method = api.delete if name == "orgs-api:invite" else api.post
    response = method(api_url(name, invite_id=foreign.pk))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_member_of_another_org_is_404(api, org_with_roles, method):
    foreign = MembershipFactory.create()
    api.force_authenticate(org_with_roles.admin)
    path = api_url("orgs-api:member", membership_id=foreign.pk)
    response = getattr(api, method)(path, {"role": "admin"}, format="json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "member"


def test_an_unknown_organization_looks_like_a_hidden_one(api, org_with_roles):
    api.force_authenticate(org_with_roles.outsider)
    hidden = api.get(api_url("orgs-api:detail"))
    api.force_authenticate(org_with_roles.admin)
    unknown = api.get(api_url("orgs-api:detail", org_slug="no-such-org"))
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


# organizations ------------------------------------------------------------


def test_the_list_has_the_pages_organizations_in_its_order(client, api, org_with_roles):
    member = org_with_roles.member
    for name in ("Zeta", "Beta", "Beta"):  # same-named ones: by slug
        MembershipFactory.create(user=member, organization__name=name, admin=True)
    MembershipFactory.create(organization__name="Secret Society")
    client.force_login(member)
    api.force_authenticate(member)
    page = client.get(reverse("orgs:list"))
    body = api.get(api_url("orgs-api:list")).json()
    assert [o["slug"] for o in body["results"]] == [
        m.organization.slug for m in page.context["memberships"]
    ]
    assert [(o["name"], o["role"]) for o in body["results"]] == [
        ("Acme", "member"),
        ("Beta", "admin"),
        ("Beta", "admin"),
        ("Zeta", "admin"),
    ]
    assert body["count"] == 4


def test_create_makes_the_caller_admin(api):
    user = UserFactory.create()
    api.force_authenticate(user)
    response = api.post(api_url("orgs-api:list"), {"name": " Acme "}, format="json")
    assert response.status_code == 201
    organization = Organization.objects.get()
    assert response.json()["slug"] == organization.slug
    assert (response.json()["name"], response.json()["role"]) == ("Acme", "admin")
    assert Membership.objects.get(organization=organization).user == user
    detail = api.get(api_url("orgs-api:detail", org_slug=organization.slug))
    assert detail.json() == response.json()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"name": "  "}, "blank"),
        ({}, "required"),
        ({"name": "x" * 121}, "max_length"),
        ({"name": "a\nb"}, "single_line"),
    ],
)
def test_create_with_a_bad_name_is_400_naming_field_and_rule(api, data, code):
    api.force_authenticate(UserFactory.create())
    response = api.post(api_url("orgs-api:list"), data, format="json")
    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("name", code)
    assert not Organization.objects.exists()


# members ------------------------------------------------------------------


def test_members_are_the_pages_in_its_order(client, api, org_with_roles):
    MembershipFactory.create(
        organization=org_with_roles.organization, user__username="aaron"
    )
    client.force_login(org_with_roles.member)
    api.force_authenticate(org_with_roles.member)
    page = client.get(reverse("orgs:detail", kwargs={"org_slug": "acme"}))
    body = api.get(api_url("orgs-api:members")).json()
    assert [m["id"] for m in body["results"]] == [m.pk for m in page.context["members"]]
    assert [(m["user"]["username"], m["role"]) for m in body["results"]] == [
        ("aaron", "member"),
        ("alice", "admin"),
        ("bob", "member"),
    ]


def test_admin_changes_a_role(api, org_with_roles):
    api.force_authenticate(org_with_roles.admin)
    target = org_with_roles.member_membership
    response = api.put(
        api_url("orgs-api:member", membership_id=target.pk),
        {"role": "admin"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["role"] == "admin"
    assert response.json()["user"]["username"] == "bob"
    target.refresh_from_db()
    assert target.role == "admin"


def test_an_unknown_role_is_400_and_changes_nothing(api, org_with_roles):
    api.force_authenticate(org_with_roles.admin)
    target = org_with_roles.member_membership
    response = api.put(
        api_url("orgs-api:member", membership_id=target.pk),
        {"role": "owner"},
        format="json",
    )
    assert response.status_code == 400
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("role", "invalid_choice")
    target.refresh_from_db()
    assert target.role == "member"


@pytest.mark.parametrize(("method", "verb"), [("put", "demote"), ("delete", "remove")])
def test_the_last_admin_stays_one_with_the_services_message(
    api, org_with_roles, method, verb
):
    api.force_authenticate(org_with_roles.admin)
    own = org_with_roles.admin_membership
    path = api_url("orgs-api:member", membership_id=own.pk)
    response = getattr(api, method)(path, {"role": "member"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "conflict"
    assert body["message"].startswith(
        f"Cannot {verb} alice: they are the last admin of Acme."
    )
    own.refresh_from_db()
    assert own.role == "admin"
    assert Membership.objects.filter(organization__slug="acme").count() == 2


def test_admin_removes_a_member(api, org_with_roles):
    api.force_authenticate(org_with_roles.admin)
    target = org_with_roles.member_membership
    response = api.delete(api_url("orgs-api:member", membership_id=target.pk))
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_a_member_may_leave(api, org_with_roles):
    api.force_authenticate(org_with_roles.member)
    own = org_with_roles.member_membership
    response = api.delete(api_url("orgs-api:member", membership_id=own.pk))
    assert response.status_code == 204
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert api.get(api_url("orgs-api:detail")).status_code == 404


# invitations --------------------------------------------------------------


def test_admin_invites_and_the_mail_goes_out(
    api, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    api.force_authenticate(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            api_url("orgs-api:invites"),
            {"email": "Carol@Example.com", "role": "member"},
            format="json",
        )
    assert response.status_code == 201
    invite = Invite.objects.get()
    assert response.json()["id"] == invite.pk
    assert response.json()["email"] == "carol@example.com"
    assert response.json()["invited_by"]["username"] == "alice"
    assert invite.token not in response.content.decode()  # the link goes by mail
    [message] = mailoutbox
    assert message.to == ["carol@example.com"]
    assert reverse("orgs:invite_accept", kwargs={"token": invite.token}) in (
        message.body
    )


@pytest.mark.parametrize(
    ("email", "status", "code", "message"),
    [
        ("bob@example.com", 409, "conflict", "bob@example.com is already a member"),
        ("CAROL@example.com", 409, "conflict", "already has a pending invite"),
        ("not-an-email", 400, "invalid", "valid email"),
    ],
)
def test_an_invite_refused_names_the_email_field(
    api, org_with_roles, pending, mailoutbox, email, status, code, message
):
    api.force_authenticate(org_with_roles.admin)
    response = api.post(
        api_url("orgs-api:invites"), {"email": email, "role": "member"}, format="json"
    )
    assert response.status_code == status
    [problem] = response.json()["errors"]
    assert (problem["field"], problem["code"]) == ("email", code)
    assert message in problem["message"]
    assert Invite.objects.get() == pending
    assert mailoutbox == []


def test_pending_invites_are_the_pages(client, api, org_with_roles, pending):
    organization = org_with_roles.organization
    InviteFactory.create(organization=organization, expired=True)
    InviteFactory.create(organization=organization, revoked_at=timezone.now())
    newer = InviteFactory.create(organization=organization, email="dan@example.com")
    client.force_login(org_with_roles.admin)
    api.force_authenticate(org_with_roles.admin)
    page = client.get(reverse("orgs:detail", kwargs={"org_slug": "acme"}))
    body = api.get(api_url("orgs-api:invites")).json()
    assert [i["id"] for i in body["results"]] == [
        i.pk for i in page.context["pending_invites"]
    ]
    assert {i["id"] for i in body["results"]} == {pending.pk, newer.pk}


def test_revoking_kills_the_link_and_twice_is_409(api, org_with_roles, pending):
    api.force_authenticate(org_with_roles.admin)
    path = api_url("orgs-api:invite", invite_id=pending.pk)
    assert api.delete(path).status_code == 204
    pending.refresh_from_db()
    assert pending.revoked_at is not None
    again = api.delete(path)
    assert again.status_code == 409
    assert again.json()["message"] == (
        "The invitation to carol@example.com was revoked."
    )
    assert api.get(api_url("orgs-api:invites")).json()["count"] == 0


def test_resending_gives_a_new_link_by_mail(
    api, org_with_roles, pending, mailoutbox, django_capture_on_commit_callbacks
):
    old_token = pending.token
    api.force_authenticate(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url("orgs-api:invite-resend", invite_id=pending.pk))
    assert response.status_code == 200
    assert response.json()["id"] == pending.pk
    pending.refresh_from_db()
    assert pending.token != old_token
    [message] = mailoutbox
    assert pending.token in message.body
    assert old_token not in message.body


# accepting by the link ----------------------------------------------------


@pytest.fixture
def carol(db):
    return UserFactory.create(username="carol", email="carol@example.com")


def test_the_invited_person_sees_the_invitation_and_joins(api, pending, carol):
    api.force_authenticate(carol)
    seen = api.get(api_url("orgs-api:invitation", token=pending.token))
    assert seen.status_code == 200
    assert seen.json()["organization"] == {"slug": "acme", "name": "Acme"}
    assert seen.json()["role"] == "member"
    joined = api.post(api_url("orgs-api:invitation-accept", token=pending.token))
    assert joined.status_code == 201
    assert (joined.json()["slug"], joined.json()["role"]) == ("acme", "member")
    assert Membership.objects.get(user=carol).organization.slug == "acme"
    again = api.post(api_url("orgs-api:invitation-accept", token=pending.token))
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_token"
    assert again.json()["message"] == "This invite has already been used."


@pytest.mark.parametrize("name", ["orgs-api:invitation", "orgs-api:invitation-accept"])
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "This invite link is not valid."),
        ("someone else", "another e-mail address"),
        ("expired", "This invite has expired."),
        ("revoked", "This invite was withdrawn."),
    ],
)
def test_a_link_that_cannot_be_used_is_400_with_the_pages_reason(
    api, org_with_roles, pending, carol, name, case, message
):
    caller = org_with_roles.outsider if case == "someone else" else carol
    if case == "expired":
        Invite.objects.filter(pk=pending.pk).update(
            expires_at=timezone.now() - timedelta(days=1)
        )
    if case == "revoked":
        Invite.objects.filter(pk=pending.pk).update(revoked_at=timezone.now())
    token = "no-such-token" if case == "unknown" else pending.token
    api.force_authenticate(caller)
    response = getattr(api, "get" if name == "orgs-api:invitation" else "post")(
        api_url(name, token=token)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_token"
    assert message in response.json()["message"]
    assert not Membership.objects.filter(user=caller).exists()


# constant query counts ----------------------------------------------------


@pytest.mark.parametrize("count", [10, 1000])
def test_organization_list_queries_do_not_grow(
    api, org_with_roles, django_assert_num_queries, count
):
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Org {n}", slug=f"org-{n}") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organization=organization, user=org_with_roles.member)
        for organization in organizations
    )
    api.force_authenticate(org_with_roles.member)
    with django_assert_num_queries(2):  # count, page
        response = api.get(api_url("orgs-api:list"))
    assert response.json()["count"] == count + 1


@pytest.mark.parametrize("count", [10, 1000])
def test_member_list_queries_do_not_grow(
    api, org_with_roles, django_assert_num_queries, count
):
    users = User.objects.bulk_create(
        User(username=f"user-{n}", email=f"user-{n}@example.com") for n in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organization=org_with_roles.organization, user=user)
        for user in users
    )
    api.force_authenticate(org_with_roles.member)
    with django_assert_num_queries(3):  # membership, count, page
        response = api.get(api_url("orgs-api:members"))
    assert response.json()["count"] == count + 2


@pytest.mark.parametrize("count", [10, 1000])
def test_invite_list_queries_do_not_grow(
    api, org_with_roles, django_assert_num_queries, count
):
    expires_at = timezone.now() + timedelta(days=7)
    Invite.objects.bulk_create(
        Invite(
            organization=org_with_roles.organization,
            email=f"invitee-{n}@example.com",
            token=f"token-{n}",
            invited_by=org_with_roles.admin,
            expires_at=expires_at,
        )
        for n in range(count)
    )
    api.force_authenticate(org_with_roles.admin)
    with django_assert_num_queries(3):  # membership, count, page
        response = api.get(api_url("orgs-api:invites"))
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, 20)


def test_organization_creation_through_the_api_is_limited_per_user(api, monkeypatch):
    from core.api import WriteRateThrottle

    monkeypatch.setitem(
        WriteRateThrottle.THROTTLE_RATES, "organization_create", "2/hour"
    )
    api.force_authenticate(UserFactory.create())
    answers = [
        api.post(api_url("orgs-api:list"), {"name": f"Org {n}"}, format="json")
        for n in range(3)
    ]

    assert [a.status_code for a in answers] == [201, 201, 429]
    assert Organization.objects.count() == 2
    assert api.get(api_url("orgs-api:list")).status_code == 200  # reading is free
