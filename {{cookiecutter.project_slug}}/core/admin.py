"""Admin helpers that route writes through services.

A service may refuse a write with a ``DomainError`` after the admin form has
validated. Django runs the add, change and delete views inside a transaction,
so letting the error leave that block rolls everything back; this mixin then
shows the refusal as an error message instead of a server error.

Also here: core's own records, read-only. The jobs that gave up can be
replayed from their list; the e-mails the jobs sent are listed by key.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from core.exceptions import DomainError
from core.models import FailedJob, SentEmail
from core.services import replay_failed_jobs


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the system writes: staff read them, never edit them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FailedJob)
class FailedJobAdmin(ReadOnlyAdmin):
    list_display = ("name", "kwargs", "error", "failed_at", "replayed_at")
    list_filter = ("name", ("replayed_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "error")
    actions = ["replay"]

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.change_failedjob")

    @admin.action(description="Replay the selected jobs", permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[FailedJob]) -> None:
        actor = request.user if request.user.is_authenticated else None
        replayed = replay_failed_jobs(actor=actor, failed_jobs=queryset)
        skipped = queryset.count() - len(replayed)
        message = f"Queued {len(replayed)} job(s) again."
        if skipped:
            message += f" {skipped} had been replayed already."
        self.message_user(request, message, level=messages.SUCCESS)


@admin.register(SentEmail)
class SentEmailAdmin(ReadOnlyAdmin):
    list_display = ("key", "subject", "recipients", "sent_at")
    search_fields = ("key", "subject", "recipients")
    date_hierarchy = "sent_at"
