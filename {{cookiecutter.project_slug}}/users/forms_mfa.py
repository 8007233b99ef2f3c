"""Input for the second-factor pages: a code, checked by ``users.services_mfa``."""

from django import forms


class SecondFactorCodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        strip=True,
        help_text="The six digits your authenticator app shows now, or one of "
        "your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false"}
        ),
    )


class AuthenticatorCodeForm(SecondFactorCodeForm):
    """The first code from a newly added authenticator app."""

    code = forms.CharField(
        label="Code from the app",
        max_length=6,
        strip=True,
        help_text="The six digits the app shows for this account.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )
