"""Staff screens for accounts; saving goes through ``users.services``."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from core.admin import ServiceAdmin
from users.admin_mfa import register_device_admins
from users.forms import AccountChangeForm
from users.models import User
from users.services import save_user


@admin.register(User)
class UserAdmin(ServiceAdmin, DjangoUserAdmin):
    form = AccountChangeForm

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        save_user(actor=self.actor(request), user=obj)


register_device_admins(admin.site)
