"""Input for the orgs pages: validated and normalized, never saved here."""

from django import forms

from core.validators import validate_single_line
from orgs.models import Invite, Organization
from orgs.types import MembershipRole


class OrganizationForm(forms.Form):
    name = forms.CharField(
        max_length=Organization._meta.get_field("name").max_length,
        strip=True,
        validators=[validate_single_line],
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        max_length=Invite._meta.get_field("email").max_length,
        help_text="The invite link is sent to this address.",
    )
    role = forms.ChoiceField(
        choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=MembershipRole.choices)


class InviteAdminForm(forms.ModelForm):
    """The admin's invite form: the address is ``invite_member``'s to judge.

    Left to the model form, the one-open-invite constraint would refuse an
    address whose earlier invite can no longer be accepted, which the service
    supersedes. So the address is a field of the form, not of the model.
    """

    address = forms.EmailField(
        label="E-mail address",
        max_length=Invite._meta.get_field("email").max_length,
        help_text="The invite link is sent to this address.",
    )

    class Meta:
        model = Invite
        fields = ("organization", "role")
