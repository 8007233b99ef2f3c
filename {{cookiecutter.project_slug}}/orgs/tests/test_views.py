"""The orgs pages as people use them: a redirect, a 404, a 403, or the page.

Behavior tests: they go through the URLs only (arranging data with the
factories), so they hold whatever the code behind the views looks like. That
the invite mail leaves only after commit is in ``test_wiring.py``.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from orgs.models import Invite, Membership, Organization
from orgs.tests.authorization import ALLOWED_ROLES
from orgs.tests.factories import InviteFactory, MembershipFactory
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

ORG_URLS = [
    ("orgs:list", {}),
    ("orgs:create", {}),
    ("orgs:invitation", {}),
    ("orgs:detail", {"org_slug": "acme"}),
    ("orgs:settings", {"org_slug": "acme"}),
    ("orgs:invite", {"org_slug": "acme"}),
    ("orgs:member_role", {"org_slug": "acme", "membership_id": 1}),
    ("orgs:member_remove", {"org_slug": "acme", "membership_id": 1}),
    ("orgs:invite_revoke", {"org_slug": "acme", "invite_id": 1}),
    ("orgs:invite_resend", {"org_slug": "acme", "invite_id": 1}),
]
# (url name, method, action of the table the API's tests read too) for every
# page that acts in one organization.
ORG_PAGES = [
    ("orgs:detail", "get", "detail"),
    ("orgs:invite", "get", "invite"),
    ("orgs:invite", "post", "invite"),
    ("orgs:member_role", "post", "change_role"),
    ("orgs:member_remove", "get", "remove_member"),
    ("orgs:member_remove", "post", "remove_member"),
    ("orgs:invite_revoke", "post", "revoke_invite"),
    ("orgs:invite_resend", "post", "resend_invite"),
]


def url(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def role_url(target):
    return url("orgs:member_role", org_slug="acme", membership_id=target.pk)


def remove_url(target):
    return url("orgs:member_remove", org_slug="acme", membership_id=target.pk)


def revoke_url(invite):
    return url("orgs:invite_revoke", org_slug="acme", invite_id=invite.pk)


def resend_url(invite):
    return url("orgs:invite_resend", org_slug="acme", invite_id=invite.pk)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def state():
    """What the orgs pages could change, to prove a refusal changed nothing."""
    return (
        sorted(Membership.objects.values_list("pk", "role")),
        sorted(Invite.objects.values_list("pk", "token", "revoked_at")),
    )


# anonymous ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "kwargs"), ORG_URLS)
def test_anonymous_is_sent_to_log_in(client, method, name, kwargs):
    path = reverse(name, kwargs=kwargs)
    response = getattr(client, method)(path)
    assertRedirects(
        response, f"/accounts/login/?next={path}", fetch_redirect_response=False
    )


# non-member: 404 ----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "orgs:detail"),
        ("get", "orgs:settings"),
        ("post", "orgs:settings"),
        ("get", "orgs:invite"),
        ("post", "orgs:invite"),
        ("post", "orgs:member_role"),
        ("get", "orgs:member_remove"),
        ("post", "orgs:member_remove"),
    ],
)
def test_non_member_gets_404(client, org_with_roles, method, name):
    client.force_login(org_with_roles.outsider)
    kwargs = {"org_slug": "acme"}
    if name.startswith("orgs:member_"):
        kwargs["membership_id"] = org_with_roles.member_membership.pk
    data = {"role": "admin", "email": "x@example.com"} if method == "post" else None
    response = getattr(client, method)(url(name, **kwargs), data)
    assertContains(response, "Page not found", status_code=404)
    for member_name in ("alice", "bob"):  # nothing of the org leaks
        assertNotContains(response, member_name, status_code=404)
    assert Membership.objects.filter(organization__slug="acme").count() == 2
    assert not Invite.objects.exists()


@pytest.mark.django_db
def test_an_unknown_organization_looks_like_a_hidden_one(client, org_with_roles):
    client.force_login(org_with_roles.outsider)
    hidden = client.get(url("orgs:detail", org_slug="acme"))
    client.force_login(org_with_roles.admin)
    unknown = client.get(url("orgs:detail", org_slug="no-such-org"))
    assert hidden.status_code == unknown.status_code == 404
    assert str(hidden.context["exception"]) == str(unknown.context["exception"])


@pytest.mark.django_db
def test_membership_id_from_another_org_is_404(client, org_with_roles):
    foreign = MembershipFactory.create()
    client.force_login(org_with_roles.admin)
    response = client.post(remove_url(foreign))
    assert response.status_code == 404
    response = client.post(role_url(foreign), {"role": "admin"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "member"


# member without the right: 403 --------------------------------------------


@pytest.mark.django_db
def test_member_sees_the_org_without_admin_tools(client, org_with_roles):
    client.force_login(org_with_roles.member)
    response = client.get(url("orgs:detail", org_slug="acme"))
    assertContains(response, "Acme")
    assertContains(response, "alice")
    assertNotContains(response, url("orgs:invite", org_slug="acme"))
    assertNotContains(response, url("orgs:settings", org_slug="acme"))
    assert response.context["can_manage"] is False
    assert response.context["pending_invites"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_may_not_see_or_change_the_settings(client, org_with_roles, method):
    client.force_login(org_with_roles.member)
    response = getattr(client, method)(
        url("orgs:settings", org_slug="acme"), {"name": "Taken over"}
    )
    assert response.status_code == 403
    assert Organization.objects.get(slug="acme").name == "Acme"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "member"])
@pytest.mark.parametrize(("name", "method", "action"), ORG_PAGES)
def test_members_get_what_the_table_allows(
    client, org_with_roles, pending, role, name, method, action
):
    """Each aimed at someone else than the caller (leaving is tested below)."""
    user = getattr(org_with_roles, role)
    other = (
        org_with_roles.admin_membership
        if role == "member"
        else org_with_roles.member_membership
    )
    kwargs = {"org_slug": "acme"}
    if name.startswith("orgs:member_"):
        kwargs["membership_id"] = other.pk
    if name.startswith("orgs:invite_"):
        kwargs["invite_id"] = pending.pk
    data = {"role": "admin", "email": "dave@example.com"} if method == "post" else None
    before = state()
    client.force_login(user)
    response = getattr(client, method)(url(name, **kwargs), data)
    if role in ALLOWED_ROLES[action]:
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403
        assert state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "member"])
def test_the_org_page_lists_what_the_table_allows(
    client, org_with_roles, pending, role
):
    client.force_login(getattr(org_with_roles, role))
    response = client.get(url("orgs:detail", org_slug="acme"))
    members = [m.user.username for m in response.context["members"]]
    assert (members == ["alice", "bob"]) == (role in ALLOWED_ROLES["list_members"])
    assert (list(response.context["pending_invites"]) == [pending]) == (
        role in ALLOWED_ROLES["list_invites"]
    )


@pytest.mark.django_db
def test_member_may_leave(client, org_with_roles):
    client.force_login(org_with_roles.member)
    own = org_with_roles.member_membership
    confirm = client.get(remove_url(own))
    assertContains(confirm, "Leave Acme?")
    response = client.post(remove_url(own))
    assertRedirects(response, url("orgs:list"))
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert "You left Acme." in messages_of(response)


# admin --------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_sees_members_and_pending_invites(client, org_with_roles):
    InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    client.force_login(org_with_roles.admin)
    response = client.get(url("orgs:detail", org_slug="acme"))
    assertContains(response, "bob")
    assertContains(response, "1 invitation waiting to be accepted")
    assertContains(response, f'href="{url("orgs:settings", org_slug="acme")}"')
    assertContains(response, url("orgs:invite", org_slug="acme"))
    response = client.get(url("orgs:settings", org_slug="acme"))
    assertContains(response, "carol@example.com")


@pytest.mark.django_db
def test_admin_invites_and_the_mail_goes_out(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("orgs:invite", org_slug="acme"),
            {"email": "Carol@Example.com", "role": "member"},
        )
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    invite = Invite.objects.get()
    assert invite.email == "carol@example.com"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]
    assert url("orgs:invite_accept", token=invite.token) in mailoutbox[0].body
    assert "Invite sent to carol@example.com." in messages_of(response)


@pytest.mark.django_db
def test_invite_form_errors_are_shown(client, org_with_roles, mailoutbox):
    client.force_login(org_with_roles.admin)
    response = client.get(url("orgs:invite", org_slug="acme"))
    assertContains(response, "Invite someone to Acme")
    response = client.post(
        url("orgs:invite", org_slug="acme"), {"email": "not-an-email", "role": "member"}
    )
    assertContains(response, "Enter a valid email address.")
    assert not Invite.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_invite_refused_by_the_service_is_shown_on_the_form(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("orgs:invite", org_slug="acme"),
            {"email": "bob@example.com", "role": "member"},
        )
    assertContains(response, "bob@example.com is already a member of Acme.")
    assert not Invite.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_admin_changes_a_role(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    target = org_with_roles.member_membership
    response = client.post(role_url(target), {"role": "admin"})
    assertRedirects(response, url("orgs:detail", org_slug="acme"))
    target.refresh_from_db()
    assert target.role == "admin"
    assert "bob is now admin." in messages_of(response)


@pytest.mark.django_db
def test_role_change_with_an_unknown_role_changes_nothing(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    target = org_with_roles.member_membership
    response = client.post(role_url(target), {"role": "owner"})
    assertRedirects(response, url("orgs:detail", org_slug="acme"))
    assert "Choose a role: admin or member." in messages_of(response)
    target.refresh_from_db()
    assert target.role == "member"


@pytest.mark.django_db
def test_role_change_only_accepts_post(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    response = client.get(role_url(org_with_roles.member_membership))
    assert response.status_code == 405


@pytest.mark.django_db
def test_demoting_the_last_admin_shows_the_error(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    own = org_with_roles.admin_membership
    response = client.post(role_url(own), {"role": "member"}, follow=True)
    assertContains(response, "Cannot demote alice: they are the last admin of Acme.")
    own.refresh_from_db()
    assert own.role == "admin"


@pytest.mark.django_db
def test_admin_removes_a_member_after_confirming(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    target = org_with_roles.member_membership
    confirm = client.get(remove_url(target))
    assertContains(confirm, "Remove bob from Acme?")
    assert Membership.objects.filter(pk=target.pk).exists()
    response = client.post(remove_url(target))
    assertRedirects(response, url("orgs:detail", org_slug="acme"))
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert "bob was removed from Acme." in messages_of(response)


@pytest.mark.django_db
def test_removing_the_last_admin_shows_the_error_and_changes_nothing(
    client, org_with_roles
):
    client.force_login(org_with_roles.admin)
    own = org_with_roles.admin_membership
    response = client.post(remove_url(own), follow=True)
    assertRedirects(response, url("orgs:detail", org_slug="acme"))
    assertContains(response, "Cannot remove alice: they are the last admin of Acme.")
    own.refresh_from_db()
    assert own.role == "admin"
    assert Membership.objects.filter(organization__slug="acme").count() == 2


# list and create ----------------------------------------------------------


@pytest.mark.django_db
def test_list_shows_only_the_users_organizations(client, org_with_roles):
    MembershipFactory.create(organization__name="Secret Society")
    client.force_login(org_with_roles.member)
    response = client.get(url("orgs:list"))
    assertContains(response, "Acme")
    assertNotContains(response, "Secret Society")


@pytest.mark.django_db
def test_create_organization_makes_the_user_admin(client):
    user = UserFactory.create()
    client.force_login(user)
    assert client.get(url("orgs:create")).status_code == 200
    response = client.post(url("orgs:create"), {"name": "Acme"})
    org = Organization.objects.get()
    assertRedirects(response, url("orgs:detail", org_slug=org.slug))
    assert Membership.objects.get(organization=org).user == user


@pytest.mark.django_db
def test_create_organization_requires_a_name(client):
    client.force_login(UserFactory.create())
    response = client.post(url("orgs:create"), {"name": "  "})
    assertContains(response, "This field is required.")
    assert not Organization.objects.exists()


# accepting an invite ------------------------------------------------------


@pytest.mark.django_db
def test_the_link_moves_its_token_to_the_session_and_out_of_the_address(client):
    """As Django's password reset does: the token leaves the address bar, the
    history and the Referer header after the first request."""
    response = client.get(url("orgs:invite_accept", token="some-token"))

    assertRedirects(response, url("orgs:invitation"), fetch_redirect_response=False)
    assert client.session["orgs_invite_token"] == "some-token"
    login = client.get(response["Location"])
    assertRedirects(
        login,
        f"/accounts/login/?next={url('orgs:invitation')}",
        fetch_redirect_response=False,
    )
    assert "some-token" not in login["Location"]


@pytest.mark.django_db
def test_the_token_survives_the_log_in_and_goes_once_accepted(client, org_with_roles):
    carol = UserFactory.create(email="carol@example.com")
    invite = InviteFactory.create(
        organization=org_with_roles.organization, email=carol.email
    )
    client.get(url("orgs:invite_accept", token=invite.token))
    client.post(
        "/accounts/login/",
        {"username": carol.username, "password": DEFAULT_PASSWORD},
    )

    page = client.get(url("orgs:invitation"))
    assertContains(page, f'action="{url("orgs:invitation")}"')
    assert invite.token not in page.content.decode()
    client.post(url("orgs:invitation"))

    assert Membership.objects.filter(user=carol).exists()
    assert "orgs_invite_token" not in client.session


@pytest.mark.django_db
def test_the_invitation_page_without_a_link_is_400(client):
    client.force_login(UserFactory.create())
    response = client.get(url("orgs:invitation"))
    assertContains(response, "This invite link is not valid.", status_code=400)


@pytest.mark.django_db
def test_accept_page_with_an_unknown_token_is_400(client):
    client.force_login(UserFactory.create())
    response = client.get(url("orgs:invite_accept", token="no-such-token"), follow=True)
    assertContains(response, "This invite link is not valid.", status_code=400)


@pytest.mark.django_db
def test_accept_page_shows_the_invite(client, org_with_roles):
    carol = UserFactory.create(email="carol@example.com")
    invite = InviteFactory.create(
        organization=org_with_roles.organization, email=carol.email, role="admin"
    )
    client.force_login(carol)
    response = client.get(url("orgs:invite_accept", token=invite.token), follow=True)
    assertContains(response, "Acme")
    assertContains(response, "Accept invitation")


@pytest.mark.django_db
def test_accepting_a_good_token_joins_and_redirects(client, org_with_roles):
    carol = UserFactory.create(email="carol@example.com")
    invite = InviteFactory.create(
        organization=org_with_roles.organization, email=carol.email, role="admin"
    )
    client.force_login(carol)
    response = client.post(url("orgs:invite_accept", token=invite.token))
    assertRedirects(response, url("orgs:detail", org_slug="acme"))
    assert Membership.objects.get(user=carol).role == "admin"
    invite.refresh_from_db()
    assert invite.accepted_by == carol
    assert "You joined Acme." in messages_of(response)


@pytest.mark.django_db
def test_accepting_an_invite_for_someone_else_is_400(client, org_with_roles):
    invite = InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    client.force_login(org_with_roles.outsider)
    response = client.post(url("orgs:invite_accept", token=invite.token))
    assertContains(response, "another e-mail address", status_code=400)
    assert not Membership.objects.filter(user=org_with_roles.outsider).exists()


@pytest.mark.django_db
def test_accepting_an_expired_invite_is_400(client, org_with_roles):
    carol = UserFactory.create(email="carol@example.com")
    invite = InviteFactory.create(
        organization=org_with_roles.organization,
        email=carol.email,
        expires_at=timezone.now() - timedelta(days=1),
    )
    client.force_login(carol)
    response = client.post(url("orgs:invite_accept", token=invite.token))
    assertContains(response, "This invite has expired.", status_code=400)
    assert not Membership.objects.filter(user=carol).exists()


# revoking and re-sending an invite ---------------------------------------


@pytest.fixture
def pending(org_with_roles):
    return InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        invited_by=org_with_roles.admin,
    )


@pytest.mark.django_db
def test_the_admin_sees_revoke_and_resend_next_to_each_pending_invite(
    client, org_with_roles, pending
):
    client.force_login(org_with_roles.admin)
    response = client.get(url("orgs:settings", org_slug="acme"))
    assertContains(response, f'action="{revoke_url(pending)}"')
    assertContains(response, f'action="{resend_url(pending)}"')


@pytest.mark.django_db
def test_admin_revokes_an_invite_and_its_link_dies(client, org_with_roles, pending):
    client.force_login(org_with_roles.admin)
    response = client.post(revoke_url(pending))
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    assert (
        "The invitation to carol@example.com was revoked: its link no longer works."
        in messages_of(response)
    )
    pending.refresh_from_db()
    assert pending.revoked_at is not None
    page = client.get(url("orgs:settings", org_slug="acme"))
    assertNotContains(page, "carol@example.com")

    carol = UserFactory.create(email="carol@example.com")
    client.force_login(carol)
    response = client.post(url("orgs:invite_accept", token=pending.token))
    assertContains(response, "This invite was withdrawn.", status_code=400)
    assert not Membership.objects.filter(user=carol).exists()


@pytest.mark.django_db
def test_revoking_an_invite_twice_says_so(client, org_with_roles, pending):
    client.force_login(org_with_roles.admin)
    client.post(revoke_url(pending))
    response = client.post(revoke_url(pending))
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    assert "The invitation to carol@example.com was revoked." in messages_of(response)


@pytest.mark.django_db
def test_admin_resends_an_invite_with_a_new_link(
    client, org_with_roles, pending, mailoutbox, django_capture_on_commit_callbacks
):
    old_link = url("orgs:invite_accept", token=pending.token)
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(pending))
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    assert (
        "Invite sent again to carol@example.com, with a new link: the earlier one "
        "no longer works." in messages_of(response)
    )
    pending.refresh_from_db()
    [message] = mailoutbox
    assert message.to == ["carol@example.com"]
    assert url("orgs:invite_accept", token=pending.token) in message.body
    assert old_link not in message.body

    client.force_login(UserFactory.create(email="carol@example.com"))
    response = client.post(old_link)
    assertContains(response, "This invite link is not valid.", status_code=400)


@pytest.mark.django_db
@pytest.mark.parametrize("action", [revoke_url, resend_url])
def test_revoke_and_resend_only_accept_post(client, org_with_roles, pending, action):
    client.force_login(org_with_roles.admin)
    assert client.get(action(pending)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("action", [revoke_url, resend_url])
def test_non_member_gets_404_for_an_invite(client, org_with_roles, pending, action):
    client.force_login(org_with_roles.outsider)
    response = client.post(action(pending))
    assert response.status_code == 404
    assert Invite.objects.get().revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["orgs:invite_revoke", "orgs:invite_resend"])
def test_invite_id_from_another_org_is_404(client, org_with_roles, name):
    foreign = InviteFactory.create()
    client.force_login(org_with_roles.admin)
    response = client.post(url(name, org_slug="acme", invite_id=foreign.pk))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


# an invite dies with its sender's rights ---------------------------------


@pytest.mark.django_db
def test_a_removed_admin_cannot_come_back_through_their_own_invite(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    """alice invites her second account as admin; dave removes her; she accepts."""
    org = org_with_roles.organization
    dave = MembershipFactory.create(
        organization=org, user__username="dave", admin=True
    ).user
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("orgs:invite", org_slug="acme"),
            {"email": "alice.again@example.com", "role": "admin"},
        )
    invite = Invite.objects.get()
    client.force_login(dave)
    client.post(remove_url(org_with_roles.admin_membership))
    assert not Membership.objects.filter(user=org_with_roles.admin).exists()

    second_account = UserFactory.create(email="alice.again@example.com")
    client.force_login(second_account)
    accept = url("orgs:invite_accept", token=invite.token)
    page = client.get(accept, follow=True)
    assertContains(page, "no longer an admin of Acme", status_code=400)
    response = client.post(accept)
    assertContains(response, "no longer an admin of Acme", status_code=400)
    assert not Membership.objects.filter(user=second_account).exists()
    assert Membership.objects.get(organization=org, role="admin").user == dave

    client.force_login(dave)  # and the invite is no longer listed as pending
    assertNotContains(client.get(url("orgs:settings", org_slug="acme")), "alice.again")


@pytest.mark.django_db
def test_inviting_again_after_an_invite_expired_sends_a_new_one(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expired=True,
    )
    client.force_login(org_with_roles.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("orgs:invite", org_slug="acme"),
            {"email": "carol@example.com", "role": "member"},
        )
    assertRedirects(response, url("orgs:settings", org_slug="acme"))
    assert len(mailoutbox) == 1
    carol = UserFactory.create(email="carol@example.com")
    client.force_login(carol)
    newest = Invite.objects.open().get()
    client.post(url("orgs:invite_accept", token=newest.token))
    assert Membership.objects.filter(user=carol).exists()


@pytest.mark.django_db
def test_inviting_an_address_with_a_pending_invite_shows_the_error(
    client, org_with_roles, pending
):
    client.force_login(org_with_roles.admin)
    response = client.post(
        url("orgs:invite", org_slug="acme"),
        {"email": "Carol@example.com", "role": "member"},
    )
    assertContains(response, "carol@example.com already has a pending invite to Acme.")
    assert Invite.objects.get() == pending


# settings: rename, and the pending invitations ------------------------------


@pytest.mark.django_db
def test_admin_renames_the_organization_and_its_address_stays(client, org_with_roles):
    client.force_login(org_with_roles.admin)
    settings_url = url("orgs:settings", org_slug="acme")
    page = client.get(settings_url)
    assertContains(page, "Organization settings")
    assertContains(page, 'value="Acme"')
    response = client.post(settings_url, {"name": "  Acme Corporation  "})
    assertRedirects(response, settings_url)
    assert "The organization is now called Acme Corporation." in messages_of(response)
    organization = Organization.objects.get(pk=org_with_roles.organization.pk)
    assert (organization.name, organization.slug) == ("Acme Corporation", "acme")
    assertContains(client.get(url("orgs:detail", org_slug="acme")), "Acme Corporation")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("", "This field is required."), ("two\nlines", "one line")],
)
def test_a_bad_name_is_shown_on_the_form_and_changes_nothing(
    client, org_with_roles, name, message
):
    client.force_login(org_with_roles.admin)
    response = client.post(url("orgs:settings", org_slug="acme"), {"name": name})
    assertContains(response, message)
    assert response.context["form"].errors.keys() == {"name"}
    assert Organization.objects.get(slug="acme").name == "Acme"


@pytest.mark.django_db
def test_the_settings_list_each_pending_invite_with_its_link_to_copy(
    client, org_with_roles, pending
):
    InviteFactory.create(
        organization=org_with_roles.organization, email="old@example.com", expired=True
    )
    client.force_login(org_with_roles.admin)
    response = client.get(url("orgs:settings", org_slug="acme"))
    link = "http://testserver" + url("orgs:invite_accept", token=pending.token)
    field = f"invite-link-{pending.pk}"
    assertContains(
        response, f'<input type="url" id="{field}" value="{link}" readonly>', html=True
    )
    assertContains(response, f'data-copy="{field}"')
    assertContains(response, f'action="{revoke_url(pending)}"')
    assertContains(response, f'action="{resend_url(pending)}"')
    assertNotContains(response, "old@example.com")
    assert [invite for invite, _ in response.context["invites"]] == [pending]
