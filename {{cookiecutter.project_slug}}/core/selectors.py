"""Reads of core's own records: the jobs that gave up."""

from collections.abc import Collection

from django.db.models import QuerySet

from core.models import FailedJob


def list_failed_jobs(*, ids: Collection[int] | None = None) -> QuerySet[FailedJob]:
    """The jobs waiting to be replayed (those of ``ids`` only, if given), oldest first."""
    jobs = FailedJob.objects.filter(replayed_at__isnull=True)
    if ids is not None:
        jobs = jobs.filter(pk__in=ids)
    return jobs.order_by("failed_at", "id")
