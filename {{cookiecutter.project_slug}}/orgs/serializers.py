"""The orgs API's input and output: validated like the forms, rendered plainly.

Input serializers check what the forms check and hand the services the same
values; the services check their rules again whoever calls. Output
serializers only render.
"""

from typing import Any

from rest_framework import serializers

from core.api import validate_single_line
from orgs.models import Invite, Organization
from orgs.types import MembershipRole
from users.serializers import UserRefSerializer


class OrganizationInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=Organization._meta.get_field("name").max_length,
        validators=[validate_single_line],
    )


class InviteInputSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField(
        max_length=Invite._meta.get_field("email").max_length,
        help_text="The invite link is sent to this address.",
    )
    role = serializers.ChoiceField(
        choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    def validate_email(self, value: str) -> str:
        return value.strip().lower()


class RoleInputSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=MembershipRole.choices)


class OrganizationSerializer(serializers.Serializer[Any]):
    """An organization as one of its members sees it: rendered from their
    membership, so it carries their role."""

    slug = serializers.SlugField(source="organization.slug")
    name = serializers.CharField(source="organization.name")
    role = serializers.ChoiceField(
        choices=MembershipRole.choices, help_text="Your role in it."
    )
    created_at = serializers.DateTimeField(source="organization.created_at")


class MemberSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(help_text="The membership's id.")
    user = UserRefSerializer()
    role = serializers.ChoiceField(choices=MembershipRole.choices)
    joined_at = serializers.DateTimeField(source="created_at")


class InviteSerializer(serializers.Serializer[Any]):
    """A pending invitation, as its organization's admins see it (no link)."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MembershipRole.choices)
    invited_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class OrganizationRefSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()


class InvitationSerializer(serializers.Serializer[Any]):
    """An invitation as the person invited sees it, from its link."""

    organization = OrganizationRefSerializer()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MembershipRole.choices)
    expires_at = serializers.DateTimeField()
