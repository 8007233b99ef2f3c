"""Sign-up input: a required e-mail, matching passwords."""

import pytest

from users.forms import SignUpForm

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
