"""Staff screens for accounts."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from users.forms import AccountChangeForm
from users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AccountChangeForm
