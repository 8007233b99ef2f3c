"""Staff screens for second-factor devices: see them, delete a lost one.

django-otp's own screens show each authenticator key as a QR code to staff;
these show no key or recovery code, and nobody adds or edits a device here.
Deleting a user's devices lets them sign in with their password alone again.
"""

from django.contrib import admin
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class SecondFactorDeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__email")
    fields = ("user", "name", "confirmed")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Device | None = None
    ) -> bool:
        return False


def register_device_admins(site: admin.AdminSite) -> None:
    """Put these screens in place of django-otp's on ``site``."""
    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, SecondFactorDeviceAdmin)
