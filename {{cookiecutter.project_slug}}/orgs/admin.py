"""Staff screens for organizations; every write goes through the services."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ServiceAdmin
from orgs.forms import InviteAdminForm
from orgs.models import Invite, Membership, Organization
from orgs.selectors import list_last_admins, list_last_admins_of_users
from orgs.services import (
    add_member,
    change_member_role,
    create_organization,
    remove_member,
    remove_members,
    rename_organization,
)
from orgs.services_invites import invite_member, revoke_invites
from users.admin import UserAdmin
from users.models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    fields = ("name", "slug")
    readonly_fields = ("slug",)
    inlines = [MembershipInline]

    def save_model(
        self, request: HttpRequest, obj: Organization, form: Any, change: bool
    ) -> None:
        if change:
            rename_organization(
                actor=self.actor(request), organization=obj, name=obj.name
            )
        else:
            created = create_organization(actor=self.actor(request), name=obj.name)
            obj.pk = created.organization.pk
            obj.slug = created.organization.slug


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organization__name")
    list_select_related = ("user", "organization")
    autocomplete_fields = ("user", "organization")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "organization") if obj else ()

    def save_model(
        self, request: HttpRequest, obj: Membership, form: Any, change: bool
    ) -> None:
        if change:
            change_member_role(actor=self.actor(request), membership=obj, role=obj.role)
        else:
            created = add_member(
                actor=self.actor(request),
                organization=obj.organization,
                user=obj.user,
                role=obj.role,
            )
            obj.pk = created.pk

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Refuse, as Django refuses protected rows, to take an organization's
        last admin: before anything is deleted or logged, singly or in bulk."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        for last_admin in list_last_admins(memberships=objs):
            message = (
                f"Cannot remove {last_admin.user}: they are the last admin of "
                f"{last_admin.organization}. Make another member an admin first."
            )
            self.message_user(request, message, level=messages.ERROR)
            protected = [*protected, message]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        remove_member(actor=self.actor(request), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        remove_members(actor=self.actor(request), memberships=queryset)


@admin.register(Invite)
class InviteAdmin(ServiceAdmin):
    list_display = (
        "email",
        "organization",
        "role",
        "invited_by",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = (
        "role",
        ("accepted_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("email", "organization__name")
    list_select_related = ("organization", "invited_by")
    autocomplete_fields = ("organization",)
    form = InviteAdminForm
    actions = ["revoke"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("organization", "address", "role")
        return (
            "organization",
            "email",
            "role",
            "invited_by",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
        )

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("orgs.change_invite")

    @admin.action(description="Revoke the selected invitations", permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invite]) -> None:
        revoked = revoke_invites(actor=self.actor(request), invites=queryset)
        self.message_user(
            request,
            f"Revoked {revoked} invitation(s): their links no longer work.",
            level=messages.SUCCESS,
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: Invite, form: Any, change: bool
    ) -> None:
        sent = invite_member(
            actor=self.actor(request),
            organization=obj.organization,
            email=form.cleaned_data["address"],
            role=obj.role,
        )
        obj.pk = sent.invite.pk


class AccountAdmin(UserAdmin):
    """Accounts, with the orgs rule on deletion spelled out.

    ``Membership.user`` refuses to delete the last admin of an organization,
    so Django's "Cannot delete" page lists that membership; this says why.
    """

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        found = super().get_deleted_objects(objs, request)
        for last_admin in list_last_admins_of_users(users=objs):
            self.message_user(
                request,
                f"Cannot delete {last_admin.user}: they are the last admin of "
                f"{last_admin.organization}. Make another member an admin first, "
                "or delete the organization.",
                level=messages.ERROR,
            )
        return found


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
