"""Organizations, who belongs to them, and pending invitations."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel
from orgs.types import MembershipRole

# Path segments under /orgs/ that an organization's slug must not take.
RESERVED_ORG_SLUGS = frozenset({"new", "invites"})


class Organization(TimeStampedModel):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="orgs_one_membership_per_user"
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="orgs_membership_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == MembershipRole.ADMIN


class InviteQuerySet(models.QuerySet["Invite"]):
    def pending(self, *, now: datetime) -> "InviteQuerySet":
        return self.filter(accepted_at__isnull=True, expires_at__gt=now)


class Invite(TimeStampedModel):
    """An invitation sent by e-mail; its token is the secret in the link."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invites"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite for {self.email} to {self.organization}"

    def is_expired(self, *, now: datetime) -> bool:
        return self.expires_at <= now

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    def refusal_reason(self, *, email: str, now: datetime) -> str | None:
        """Why the owner of ``email`` cannot accept this invite now, if so."""
        if self.is_accepted:
            return "This invite has already been used."
        if self.is_expired(now=now):
            return (
                "This invite has expired. Ask an admin of "
                f"{self.organization} to send a new one."
            )
        if self.email.lower() != email.lower():
            return (
                f"This invite was sent to another e-mail address than yours "
                f"({email}). Sign in with the invited account."
            )
        return None
