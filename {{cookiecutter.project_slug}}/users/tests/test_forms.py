"""Sign-up and account input: a required e-mail of one account, matching passwords."""

import pytest

from users.forms import (
    AccountChangeForm,
    AccountDeleteForm,
    AccountPasswordResetForm,
    EmailChangeForm,
    ProfileForm,
    SignUpForm,
)
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

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


def test_the_current_password_must_be_the_accounts():
    carol = UserFactory.create()
    wrong = AccountDeleteForm(data={"current_password": "nope"}, user=carol)
    assert not wrong.is_valid()
    assert wrong.errors["current_password"] == [
        "This is not your current password. Nothing was changed."
    ]
    right = AccountDeleteForm(data={"current_password": DEFAULT_PASSWORD}, user=carol)
    assert right.is_valid(), right.errors


def test_a_new_email_of_another_account_is_refused_and_ones_own_is_kept():
    UserFactory.create(email="taken@example.com")
    carol = UserFactory.create(email="carol@example.com")
    for email, valid in (("Taken@Example.com", False), ("Carol@Example.com", True)):
        form = EmailChangeForm(
            data={"email": email, "current_password": DEFAULT_PASSWORD}, user=carol
        )
        assert form.is_valid() is valid, form.errors
    assert form.cleaned_data["email"] == "carol@example.com"


def test_a_name_on_one_line_within_the_column():
    assert ProfileForm(data={"first_name": "Carol", "last_name": ""}).is_valid()
    for bad in ("Carol\nX", "a\x00b", "x" * 151):
        assert not ProfileForm(data={"first_name": bad}).is_valid()


def test_the_reset_form_queues_the_job_after_the_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    carol = UserFactory.create(email="carol@example.com")
    form = AccountPasswordResetForm(data={"email": "carol@example.com"})
    assert form.is_valid()
    with django_capture_on_commit_callbacks() as callbacks:
        form.save(domain_override="testserver")
    assert mailoutbox == []
    [callback] = callbacks
    callback()
    [message] = mailoutbox
    assert message.to == [carol.email]
