"""Staff screens for organizations; every write goes through the services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ServiceAdmin
from orgs.models import Invite, Membership, Organization
from orgs.services import (
    add_member,
    change_member_role,
    create_organization,
    remove_member,
    remove_members,
    rename_organization,
)
from orgs.services_invites import invite_member


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

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        remove_member(actor=self.actor(request), membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        remove_members(actor=self.actor(request), memberships=queryset)


@admin.register(Invite)
class InviteAdmin(ServiceAdmin):
    list_display = ("email", "organization", "role", "expires_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "organization__name")
    list_select_related = ("organization",)
    autocomplete_fields = ("organization",)
    fields = ("organization", "email", "role")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: Invite, form: Any, change: bool
    ) -> None:
        sent = invite_member(
            actor=self.actor(request),
            organization=obj.organization,
            email=obj.email,
            role=obj.role,
        )
        obj.pk = sent.invite.pk
