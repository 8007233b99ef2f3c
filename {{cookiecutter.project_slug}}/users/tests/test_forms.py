"""Sign-up and account input: a required e-mail of one account, matching passwords."""

import pytest

from users.forms import AccountChangeForm, SignUpForm
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db  # the form checks that the username is free

PASSWORD = "a-long-unusual-passphrase-42"


def data(**overrides):
    values = {
        "username": "carol",
        "email": "carol@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    values.update(overrides)
    return values


def test_valid_sign_up_lowercases_the_email():
    form = SignUpForm(data=data(email=" Carol@Example.COM "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "carol@example.com"
    assert form.cleaned_data["password1"] == PASSWORD


def test_sign_up_requires_an_email():
    form = SignUpForm(data=data(email=""))
    assert not form.is_valid()
    assert form.errors["email"] == ["This field is required."]


def test_sign_up_rejects_a_bad_email():
    form = SignUpForm(data=data(email="carol"))
    assert not form.is_valid()
    assert form.errors["email"] == ["Enter a valid email address."]


def test_sign_up_rejects_mismatched_passwords():
    form = SignUpForm(data=data(password2=PASSWORD + "x"))
    assert not form.is_valid()
    assert "password2" in form.errors
    assert "didn" in form.errors["password2"][0]


def test_sign_up_rejects_a_weak_password():
    form = SignUpForm(data=data(password1="12345678", password2="12345678"))
    assert not form.is_valid()
    assert "password2" in form.errors


def test_sign_up_rejects_a_taken_username(django_user_model):
    django_user_model.objects.create_user(username="carol", password=PASSWORD)
    form = SignUpForm(data=data())
    assert not form.is_valid()
    assert "username" in form.errors


@pytest.mark.parametrize("email", ["carol@example.com", " CAROL@Example.com "])
def test_sign_up_rejects_a_taken_email_whatever_its_case(email):
    UserFactory.create(username="first", email="Carol@example.com")
    form = SignUpForm(data=data(email=email))
    assert not form.is_valid()
    assert form.errors["email"] == [
        "An account already uses the e-mail address carol@example.com."
    ]
    assert "__all__" not in form.errors


def account_data(user, **overrides):
    values = {
        "username": user.username,
        "email": user.email,
        "date_joined": "2030-01-01 00:00:00",
        "is_active": "on",
    }
    values.update(overrides)
    return values


def test_the_account_form_rejects_another_accounts_email():
    UserFactory.create(email="carol@example.com")
    dave = UserFactory.create(username="dave")
    form = AccountChangeForm(
        data=account_data(dave, email="Carol@Example.com"), instance=dave
    )
    assert not form.is_valid()
    assert form.errors["email"] == [
        "An account already uses the e-mail address carol@example.com."
    ]
    assert "__all__" not in form.errors


def test_the_account_form_keeps_the_accounts_own_email_in_lower_case():
    dave = UserFactory.create(username="dave", email="dave@example.com")
    form = AccountChangeForm(
        data=account_data(dave, email="DAVE@example.com"), instance=dave
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "dave@example.com"


def test_the_account_form_allows_no_email():
    UserFactory.create(email="")
    dave = UserFactory.create(username="dave")
    form = AccountChangeForm(data=account_data(dave, email=""), instance=dave)
    assert form.is_valid(), form.errors
