"""Organizations, who belongs to them, and pending invitations."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.deletion import CASCADE, Collector, ProtectedError
from django.db.models.functions import Lower

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


class MembershipQuerySet(models.QuerySet["Membership"]):
    def last_admins(self) -> "MembershipQuerySet":
        """The admin memberships among these whose organization has no other admin.

        What removing all of these memberships at once would leave without an
        admin: the organizations keep one only outside this set.
        """
        admins_kept = Membership.objects.filter(
            organization=OuterRef("organization"), role=MembershipRole.ADMIN
        ).exclude(pk__in=self.values("pk"))
        return self.filter(role=MembershipRole.ADMIN).exclude(Exists(admins_kept))


def cascade_unless_last_admin(
    collector: Collector, field: Any, sub_objs: Any, using: str
) -> None:
    """``on_delete`` of ``Membership.user``: CASCADE, unless it orphans an org.

    Deleting users deletes their memberships; when that would take the last
    admin of an organization (one that is not being deleted too), the
    deletion is refused as Django refuses ``PROTECT``: every caller sees a
    ``ProtectedError`` (its ``protected_objects`` are those memberships)
    before anything is written, and the admin site lists them on its "Cannot
    delete" page, deleting and logging nothing.
    """
    leaving_users = [user.pk for user in collector.data.get(field.related_model, ())]
    leaving_orgs = [org.pk for org in collector.data.get(Organization, ())]
    orphaning = (
        Membership.objects.using(using)
        .filter(user__in=leaving_users)
        .last_admins()
        .exclude(organization__in=leaving_orgs)
        .filter(pk__in=sub_objs.values("pk"))
    )
    if orphaning:
        # Django's collector words the error itself, naming Membership.user.
        raise ProtectedError("The last admin of an organization", set(orphaning))
    CASCADE(collector, field, sub_objs, using)


class Membership(TimeStampedModel):
    Role = MembershipRole

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=cascade_unless_last_admin,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )

    objects = MembershipQuerySet.as_manager()

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
    def open(self) -> "InviteQuerySet":
        """Neither accepted nor revoked: at most one per organization and address."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def backed_by_inviter(self) -> "InviteQuerySet":
        """Those whose inviter may still invite to the organization.

        An invitation lives by its sender's rights: an active admin of the
        organization, or an active superuser (invitations from the admin site).
        Removed, demoted, deactivated or deleted, the sender takes it along.
        """
        inviter_is_admin = Membership.objects.filter(
            organization=OuterRef("organization"),
            user=OuterRef("invited_by"),
            role=MembershipRole.ADMIN,
        )
        return self.filter(invited_by__is_active=True).filter(
            Exists(inviter_is_admin) | Q(invited_by__is_superuser=True)
        )

    def pending(self, *, now: datetime) -> "InviteQuerySet":
        """What can still be accepted, and so mailed: the one definition.

        Open (neither accepted nor revoked), not expired, and backed by its
        inviter's current rights.
        """
        return self.open().backed_by_inviter().filter(expires_at__gt=now)


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
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="orgs_one_open_invite_per_address",
                violation_error_message=(
                    "This address already has an open invitation to this "
                    "organization."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Invite for {self.email} to {self.organization}"

    def is_expired(self, *, now: datetime) -> bool:
        return self.expires_at <= now

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def refusal_reason(
        self, *, email: str, now: datetime, backed_by_inviter: bool = True
    ) -> str | None:
        """Why the owner of ``email`` cannot accept this invite now, if so.

        ``backed_by_inviter`` is whether ``InviteQuerySet.backed_by_inviter``
        still holds this invite: a query, so the caller asks it.
        """
        if self.is_accepted:
            return "This invite has already been used."
        if self.is_revoked:
            return (
                f"This invite was withdrawn. Ask an admin of {self.organization} "
                "for a new one if you still mean to join."
            )
        if self.is_expired(now=now):
            return (
                "This invite has expired. Ask an admin of "
                f"{self.organization} to send a new one."
            )
        if not backed_by_inviter:
            return (
                "This invite can no longer be accepted: the person who sent it "
                f"is no longer an admin of {self.organization}. Ask an admin of "
                f"{self.organization} to send a new one."
            )
        if self.email.lower() != email.lower():
            return (
                f"This invite was sent to another e-mail address than yours "
                f"({email}). Sign in with the invited account."
            )
        return None
