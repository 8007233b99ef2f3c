"""Write workflows of core: replaying the jobs that gave up."""

import logging
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.jobs import enqueue_again
from core.models import FailedJob

logger = logging.getLogger(__name__)


@transaction.atomic
def replay_failed_jobs(
    *, actor: AbstractBaseUser | None, failed_jobs: QuerySet[FailedJob]
) -> list[FailedJob]:
    """Queue each job again after commit, once, and mark it replayed.

    ``actor`` is the staff member in the admin, None on the command line. A
    job that fails again is kept again, as a new ``FailedJob``.
    """
    now = timezone.now()
    replayed = list(
        failed_jobs.select_for_update().filter(replayed_at__isnull=True).order_by("id")
    )
    for failed in replayed:
        failed.replayed_at = now
        failed.save(update_fields=["replayed_at"])
        transaction.on_commit(
            partial(
                enqueue_again, name=failed.name, args=failed.args, kwargs=failed.kwargs
            )
        )
    logger.info(
        "%s replayed %s job(s): %s",
        actor or "the command line",
        len(replayed),
        ", ".join(str(failed.pk) for failed in replayed) or "none",
    )
    return replayed
