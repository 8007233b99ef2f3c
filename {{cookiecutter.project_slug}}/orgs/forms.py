"""Input for the orgs pages: validated and normalised, never saved here."""

from django import forms

from orgs.types import MembershipRole


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=120, strip=True)


class InviteForm(forms.Form):
    email = forms.EmailField(help_text="The invite link is sent to this address.")
    role = forms.ChoiceField(
        choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MembershipRole.choices)
