"""The admin writes through the services, so their rules hold there too."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains

from orgs.models import Invite, Membership, Organization

pytestmark = pytest.mark.django_db

LAST_ADMIN = "they are the last admin of Acme"


def error_messages(response):
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


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
    response = admin_client.post(delete_url, {"post": "yes"}, follow=True)
    assert response.redirect_chain == [(delete_url, 302)]
    errors = error_messages(response)
    assert len(errors) == 1
    assert "Cannot remove alice" in errors[0]
    assert LAST_ADMIN in errors[0]
    assert Membership.objects.filter(pk=own.pk).exists()


def test_bulk_deleting_the_last_admin_in_the_admin_is_refused(
    admin_client, org_with_roles
):
    everyone = [org_with_roles.admin_membership.pk, org_with_roles.member_membership.pk]
    response = admin_client.post(
        reverse("admin:orgs_membership_changelist"),
        {"action": "delete_selected", "_selected_action": everyone, "post": "yes"},
        follow=True,
    )
    errors = error_messages(response)
    assert len(errors) == 1
    assert LAST_ADMIN in errors[0]
    assert Membership.objects.filter(pk__in=everyone).count() == 2


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
                "email": "Carol@Example.com",
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
                "email": "bob@example.com",
                "role": "member",
            },
            follow=True,
        )
    assert response.redirect_chain == [(add_url, 302)]
    assert error_messages(response) == ["bob@example.com is already a member of Acme."]
    assert not Invite.objects.exists()
    assert mailoutbox == []


def test_the_admin_pages_render(admin_client, org_with_roles):
    for name, args in [
        ("admin:orgs_organization_changelist", []),
        ("admin:orgs_organization_change", [org_with_roles.organization.pk]),
        ("admin:orgs_membership_changelist", []),
        ("admin:orgs_invite_add", []),
        ("admin:orgs_invite_changelist", []),
    ]:
        response = admin_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
