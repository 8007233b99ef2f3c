"""The admin writes through the services, so their rules hold there too."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from orgs.models import Invite, Membership, Organization
from orgs.tests.factories import InviteFactory, MembershipFactory
from users.models import User
from users.tests.factories import UserFactory, log_in_verified

pytestmark = pytest.mark.django_db

LAST_ADMIN = "they are the last admin of Acme"


def error_messages(response):
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


def deletions_logged() -> list[str]:
    return list(
        LogEntry.objects.filter(action_flag=DELETION).values_list(
            "object_repr", flat=True
        )
    )


def bulk_delete(admin_client, model: str, pks: list[int]):
    return admin_client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
        follow=True,
    )


def test_adding_an_organization_makes_the_superuser_its_admin(admin_client, superuser):
    response = admin_client.post(
        reverse("admin:orgs_organization_add"),
        {
            "name": "Acme",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.name, org.slug) == ("Acme", "acme")
    membership = Membership.objects.get(organization=org)
    assert (membership.user, membership.role) == (superuser, "admin")


def test_demoting_the_last_admin_in_the_admin_is_refused(admin_client, org_with_roles):
    own = org_with_roles.admin_membership
    change_url = reverse("admin:orgs_membership_change", args=[own.pk])
    response = admin_client.post(change_url, {"role": "member"}, follow=True)
    assert response.redirect_chain == [(change_url, 302)]
    errors = error_messages(response)
    assert len(errors) == 1
    assert "Cannot demote alice" in errors[0]
    assert LAST_ADMIN in errors[0]
    assertContains(response, "Cannot demote alice")
    own.refresh_from_db()
    assert own.role == "admin"


def test_changing_a_role_in_the_admin(admin_client, org_with_roles):
    target = org_with_roles.member_membership
    response = admin_client.post(
        reverse("admin:orgs_membership_change", args=[target.pk]), {"role": "admin"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "admin"


def test_deleting_the_last_admin_in_the_admin_is_refused(admin_client, org_with_roles):
    own = org_with_roles.admin_membership
    delete_url = reverse("admin:orgs_membership_delete", args=[own.pk])
    confirm = admin_client.get(delete_url)
    assertContains(confirm, "Cannot delete membership")
    response = admin_client.post(delete_url, {"post": "yes"})
    assertContains(response, "Cannot delete membership")
    errors = error_messages(response)
    assert len(errors) == 1
    assert "Cannot remove alice" in errors[0]
    assert LAST_ADMIN in errors[0]
    assert Membership.objects.filter(pk=own.pk).exists()
    assert deletions_logged() == []


def test_bulk_deleting_the_last_admin_in_the_admin_is_refused_and_logs_nothing(
    admin_client, org_with_roles
):
    everyone = [org_with_roles.admin_membership.pk, org_with_roles.member_membership.pk]
    response = bulk_delete(admin_client, "orgs_membership", everyone)
    assertContains(response, "Cannot delete membership")
    errors = error_messages(response)
    assert len(errors) == 1
    assert LAST_ADMIN in errors[0]
    assert Membership.objects.filter(pk__in=everyone).count() == 2
    assert deletions_logged() == []


def test_bulk_deleting_every_admin_at_once_is_refused(admin_client, org_with_roles):
    second = MembershipFactory.create(
        organization=org_with_roles.organization, admin=True
    )
    admins = [org_with_roles.admin_membership.pk, second.pk]
    response = bulk_delete(admin_client, "orgs_membership", admins)
    assert len(error_messages(response)) == 2
    assert Membership.objects.filter(pk__in=admins).count() == 2
    assert deletions_logged() == []


def test_bulk_deleting_members_logs_what_was_deleted(admin_client, org_with_roles):
    second = MembershipFactory.create(
        organization=org_with_roles.organization, user__username="dave"
    )
    members = [org_with_roles.member_membership.pk, second.pk]
    response = bulk_delete(admin_client, "orgs_membership", members)
    assert error_messages(response) == []
    assert not Membership.objects.filter(pk__in=members).exists()
    assert sorted(deletions_logged()) == [
        "bob in Acme (member)",
        "dave in Acme (member)",
    ]


def test_deleting_a_member_in_the_admin(admin_client, org_with_roles):
    target = org_with_roles.member_membership
    response = admin_client.post(
        reverse("admin:orgs_membership_delete", args=[target.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_adding_a_duplicate_membership_in_the_admin_is_refused(
    admin_client, org_with_roles
):
    add_url = reverse("admin:orgs_membership_add")
    response = admin_client.post(
        add_url,
        {
            "user": org_with_roles.member.pk,
            "organization": org_with_roles.organization.pk,
            "role": "admin",
        },
    )
    assert response.status_code == 200  # the form's unique check answers first
    assert Membership.objects.filter(organization__slug="acme").count() == 2
    org_with_roles.member_membership.refresh_from_db()
    assert org_with_roles.member_membership.role == "member"


def test_adding_an_invite_in_the_admin_sends_the_mail_after_commit(
    admin_client,
    superuser,
    org_with_roles,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("admin:orgs_invite_add"),
            {
                "organization": org_with_roles.organization.pk,
                "address": "Carol@Example.com",
                "role": "member",
            },
        )
        assert mailoutbox == []
    assert response.status_code == 302
    assert len(callbacks) == 1
    invite = Invite.objects.get()
    assert (invite.email, invite.invited_by) == ("carol@example.com", superuser)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["carol@example.com"]
    assert invite.token in mailoutbox[0].body


def test_inviting_a_member_in_the_admin_is_refused(
    admin_client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    add_url = reverse("admin:orgs_invite_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            add_url,
            {
                "organization": org_with_roles.organization.pk,
                "address": "bob@example.com",
                "role": "member",
            },
            follow=True,
        )
    assert response.redirect_chain == [(add_url, 302)]
    assert error_messages(response) == ["bob@example.com is already a member of Acme."]
    assert not Invite.objects.exists()
    assert mailoutbox == []


def test_inviting_an_address_whose_invite_expired_in_the_admin_supersedes_it(
    admin_client,
    superuser,
    org_with_roles,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    expired = InviteFactory.create(
        organization=org_with_roles.organization,
        email="carol@example.com",
        expired=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:orgs_invite_add"),
            {
                "organization": org_with_roles.organization.pk,
                "address": "carol@example.com",
                "role": "member",
            },
        )
    assert response.status_code == 302
    expired.refresh_from_db()
    assert expired.revoked_at is not None
    assert Invite.objects.open().get().invited_by == superuser
    assert len(mailoutbox) == 1


def test_inviting_an_address_with_a_pending_invite_in_the_admin_is_refused(
    admin_client, org_with_roles
):
    add_url = reverse("admin:orgs_invite_add")
    InviteFactory.create(
        organization=org_with_roles.organization, email="carol@example.com"
    )
    response = admin_client.post(
        add_url,
        {
            "organization": org_with_roles.organization.pk,
            "address": "carol@example.com",
            "role": "member",
        },
        follow=True,
    )
    assert response.redirect_chain == [(add_url, 302)]
    assert error_messages(response) == [
        "carol@example.com already has a pending invite to Acme."
    ]
    assert Invite.objects.count() == 1


def test_staff_who_may_not_vouch_for_an_invite_cannot_send_one(
    client, org_with_roles, mailoutbox, django_capture_on_commit_callbacks
):
    """Staff with the admin's permission, but neither a superuser nor an admin
    of the organization: their invite would be born dead."""
    staff = UserFactory.create(username="sam", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_invite", "view_invite"])
    )
    log_in_verified(client, staff)
    add_url = reverse("admin:orgs_invite_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add_url,
            {
                "organization": org_with_roles.organization.pk,
                "address": "carol@example.com",
                "role": "member",
            },
            follow=True,
        )
    assert response.redirect_chain == [(add_url, 302)]
    [error] = error_messages(response)
    assert error.startswith("Only an admin of Acme (or a superuser) can invite")
    assert not Invite.objects.exists()
    assert mailoutbox == []


def revoke_action(admin_client, invites):
    return admin_client.post(
        reverse("admin:orgs_invite_changelist"),
        {"action": "revoke", "_selected_action": [invite.pk for invite in invites]},
        follow=True,
    )


def test_revoking_invites_in_the_admin(admin_client, org_with_roles):
    invites = InviteFactory.create_batch(2, organization=org_with_roles.organization)
    response = revoke_action(admin_client, invites)
    assertContains(response, "Revoked 2 invitation(s)")
    assert Invite.objects.filter(revoked_at__isnull=False).count() == 2


def test_revoking_an_accepted_invite_in_the_admin_revokes_none(
    admin_client, org_with_roles
):
    pending = InviteFactory.create(organization=org_with_roles.organization)
    used = InviteFactory.create(
        organization=org_with_roles.organization, accepted_at=timezone.now()
    )
    response = revoke_action(admin_client, [pending, used])
    assert error_messages(response) == [
        f"The invitation to {used.email} has already been accepted."
    ]
    assert not Invite.objects.filter(revoked_at__isnull=False).exists()


# deleting users -------------------------------------------------------------


def test_deleting_the_only_admin_of_an_organization_is_refused(
    admin_client, org_with_roles
):
    alice = org_with_roles.admin
    delete_url = reverse("admin:users_user_delete", args=[alice.pk])
    confirm = admin_client.get(delete_url)
    assertContains(confirm, "Cannot delete user")
    assertContains(confirm, "alice in Acme (admin)")

    response = admin_client.post(delete_url, {"post": "yes"})

    assertContains(response, "Cannot delete user")
    assert error_messages(response) == [
        "Cannot delete alice: they are the last admin of Acme. Make another "
        "member an admin first, or delete the organization."
    ]
    assert User.objects.filter(pk=alice.pk).exists()
    assert Membership.objects.filter(organization__slug="acme").count() == 2
    assert deletions_logged() == []


def test_bulk_deleting_users_with_an_only_admin_among_them_deletes_and_logs_nothing(
    admin_client, org_with_roles
):
    chosen = [org_with_roles.admin.pk, org_with_roles.outsider.pk]
    response = bulk_delete(admin_client, "users_user", chosen)
    assertContains(response, "Cannot delete user")
    [error] = error_messages(response)
    assert error.startswith("Cannot delete alice: they are the last admin of Acme.")
    assert User.objects.filter(pk__in=chosen).count() == 2
    assert deletions_logged() == []


def test_deleting_an_admin_while_another_remains(admin_client, org_with_roles):
    MembershipFactory.create(organization=org_with_roles.organization, admin=True)
    alice = org_with_roles.admin
    response = admin_client.post(
        reverse("admin:users_user_delete", args=[alice.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert deletions_logged() == ["alice"]


def test_the_admin_pages_render(admin_client, org_with_roles):
    invite = InviteFactory.create(
        organization=org_with_roles.organization,
        expires_at=timezone.now() + timedelta(days=1),
    )
    for name, args in [
        ("admin:orgs_organization_changelist", []),
        ("admin:orgs_organization_change", [org_with_roles.organization.pk]),
        ("admin:orgs_membership_changelist", []),
        ("admin:orgs_invite_add", []),
        ("admin:orgs_invite_changelist", []),
        ("admin:orgs_invite_change", [invite.pk]),
        ("admin:users_user_changelist", []),
        ("admin:users_user_change", [org_with_roles.member.pk]),
        ("admin:users_user_delete", [org_with_roles.member.pk]),
    ]:
        response = admin_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
