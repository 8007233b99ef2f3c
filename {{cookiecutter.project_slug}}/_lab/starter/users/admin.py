"""Staff screens for accounts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from users.admin_mfa import register_device_admins
from users.forms import AccountChangeForm
from users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm


register_device_admins(admin.site)
