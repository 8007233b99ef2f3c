"""Plain data that orgs services take and return, and the membership roles.

Models are imported for type checking only: types sit below models in the
layer order, so nothing here may need them at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from orgs.models import Invite, Membership, Organization


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


@dataclass(frozen=True)
class OrganizationCreated:
    organization: Organization
    membership: Membership


@dataclass(frozen=True)
class InviteSent:
    invite: Invite
    accept_url: str


@dataclass(frozen=True)
class InviteAccepted:
    invite: Invite
    membership: Membership
