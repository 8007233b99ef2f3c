"""Forms validate and normalize input; no database needed."""

import pytest

from orgs.forms import InviteForm, OrganizationForm, RoleForm


def test_invite_form_lowercases_and_strips_the_email():
    form = InviteForm(data={"email": "  Carol@Example.COM ", "role": "admin"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"email": "carol@example.com", "role": "admin"}


@pytest.mark.parametrize("email", ["not-an-email", "carol@", "@example.com"])
def test_invite_form_rejects_a_bad_email_with_a_message(email):
    form = InviteForm(data={"email": email, "role": "member"})
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter a valid email address."]


def test_invite_form_requires_an_email():
    form = InviteForm(data={"role": "member"})
    assert not form.is_valid()
    assert form.errors["email"] == ["This field is required."]


def test_invite_form_rejects_an_unknown_role():
    form = InviteForm(data={"email": "carol@example.com", "role": "owner"})
    assert not form.is_valid()
    assert "owner is not one of the available choices" in form.errors["role"][0]


def test_invite_form_defaults_to_member():
    assert InviteForm().fields["role"].initial == "member"


@pytest.mark.parametrize("role", ["admin", "member"])
def test_role_form_accepts_known_roles(role):
    form = RoleForm(data={"role": role})
    assert form.is_valid()
    assert form.cleaned_data["role"] == role


@pytest.mark.parametrize("role", ["owner", "", "ADMIN"])
def test_role_form_rejects_unknown_roles(role):
    form = RoleForm(data={"role": role})
    assert not form.is_valid()
    assert "role" in form.errors


def test_organization_form_strips_and_requires_a_name():
    form = OrganizationForm(data={"name": "  Acme  "})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Acme"
    blank = OrganizationForm(data={"name": "   "})
    assert not blank.is_valid()
    assert blank.errors["name"] == ["This field is required."]


def test_organization_form_limits_the_name_length():
    form = OrganizationForm(data={"name": "x" * 121})
    assert not form.is_valid()
    assert "at most 120 characters" in form.errors["name"][0]
