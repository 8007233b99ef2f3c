"""Input for sign-up; the account itself is created by ``users.services``."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from users.models import User


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        max_length=User._meta.get_field("email").max_length,
        help_text="Invitations to organisations are sent to this address.",
    )

    class Meta:
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()
