"""Input for the account pages and the admin's account form; accounts are
saved by ``users.services``, the password-reset mail is sent by
``users.jobs``."""

import uuid
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.forms import (
    PasswordResetForm,
    UserChangeForm,
    UserCreationForm,
)
from django.db import transaction
from django.views.decorators.debug import sensitive_variables

from core.validators import validate_single_line
from users.jobs import send_password_reset_email
from users.models import User
from users.selectors import is_email_taken

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length


def _email_taken(email: str) -> forms.ValidationError:
    return forms.ValidationError(
        f"An account already uses the e-mail address {email}.", code="unique"
    )


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="Invitations to organizations are sent to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if is_email_taken(email=email):
            raise _email_taken(email)
        return email


class AccountChangeForm(UserChangeForm):
    """The admin's account form: the e-mail address, lower case, of one account."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and is_email_taken(email=email, exclude_user_id=self.instance.pk):
            raise _email_taken(email)
        return email


def _name_field(*, label: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=NAME_MAX_LENGTH,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class ProfileForm(forms.Form):
    """The name shown to the other members of an organization."""

    first_name = _name_field(label="First name", autocomplete="given-name")
    last_name = _name_field(label="Last name", autocomplete="family-name")


class CurrentPasswordForm(forms.Form):
    """A form that acts on ``user``'s account once its password is re-entered."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Your password, to confirm that it is you.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    @sensitive_variables("password")
    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "This is not your current password. Nothing was changed.",
                code="password_incorrect",
            )
        return password


class EmailChangeForm(CurrentPasswordForm):
    """A new e-mail address, confirmed with the current password."""

    email = forms.EmailField(
        label="New e-mail address",
        max_length=EMAIL_MAX_LENGTH,
        help_text="Invitations to organizations and password-reset links are "
        "sent to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "current_password"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if is_email_taken(email=email, exclude_user_id=self.user.pk):
            raise _email_taken(email)
        return email


class AccountDeleteForm(CurrentPasswordForm):
    """Deleting an account is confirmed with its password."""


class AccountPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose mail leaves from a job after the commit.

    ``PasswordResetView`` calls ``save``, which calls ``send_mail`` once per
    account of the address; the job makes the link itself, so the token never
    travels through the broker.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        transaction.on_commit(
            partial(
                send_password_reset_email.delay,
                user_id=context["user"].pk,
                request_id=uuid.uuid4().hex,
            )
        )
