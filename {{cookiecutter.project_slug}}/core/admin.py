"""Admin helpers that route writes through services.

A service may refuse a write with a ``DomainError`` after the admin form has
validated. Django runs the add, change and delete views inside a transaction,
so letting the error leave that block rolls everything back; this mixin then
shows the refusal as an error message instead of a server error.
"""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.exceptions import DomainError


class ServiceAdmin(admin.ModelAdmin):
    """Base admin whose ``save_model``/``delete_model`` call services."""

    def actor(self, request: HttpRequest) -> Any:
        """The staff user acting: admin views are behind the admin's sign-in."""
        return request.user

    def _refused(self, request: HttpRequest, error: DomainError) -> HttpResponse:
        self.message_user(request, error.message, level=messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except DomainError as error:
            return self._refused(request, error)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().delete_view(request, *args, **kwargs)
        except DomainError as error:
            return self._refused(request, error)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().changelist_view(request, *args, **kwargs)
        except DomainError as error:
            return self._refused(request, error)
