"""Input for sign-up and the admin's account form; accounts are saved by
``users.services``."""

from django import forms
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from users.models import User
from users.selectors import is_email_taken


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        max_length=User._meta.get_field("email").max_length,
        help_text="Invitations to organisations are sent to this address.",
    )

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if is_email_taken(email=email):
            raise forms.ValidationError(
                f"An account already uses the e-mail address {email}.", code="unique"
            )
        return email


class AccountChangeForm(UserChangeForm):
    """The admin's account form: the e-mail address, lower case, of one account."""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and is_email_taken(email=email, exclude_user_id=self.instance.pk):
            raise forms.ValidationError(
                f"An account already uses the e-mail address {email}.", code="unique"
            )
        return email
