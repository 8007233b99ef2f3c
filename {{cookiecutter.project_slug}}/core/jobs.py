"""What every job shares: retries with back-off, and a record when it gives up.

A job is a function of an app's ``jobs.py`` declared with ``@job``. Services
queue it after their commit, ``transaction.on_commit(partial(job.delay,
...))``; it takes ids and plain data (its arguments travel as JSON), loads
fresh state through selectors, checks that it still applies and does one
side effect, safe to run twice.

A mail server's trouble (``OSError``, which ``smtplib``'s errors are) is
retried with exponential back-off: at most ``JOBS_MAX_RETRIES`` times, the
n-th after a random delay of up to ``JOBS_RETRY_BACKOFF * 2**n`` seconds,
never more than ``JOBS_RETRY_BACKOFF_MAX``. A job that gives up, or that
cannot be queued because the broker does not answer, is logged with its
name and arguments and kept as a ``FailedJob``, which ``manage.py
replay_jobs`` or the admin queues again.
"""

import logging
import smtplib
from collections.abc import Callable, Sequence
from typing import Any

from celery import Task, current_app, shared_task
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import autodiscover_modules
from kombu.exceptions import OperationalError

from core.models import FailedJob

logger = logging.getLogger(__name__)

# Refused or dropped connections, time-outs and SMTP error replies.
RETRIED_ERRORS = (smtplib.SMTPException, OSError)


def record_failed_job(
    *,
    name: str,
    args: Sequence[Any] | None,
    kwargs: dict[str, Any] | None,
    task_id: str,
    error: str,
) -> FailedJob:
    """Log a job that will not run again by itself, and keep it for a replay."""
    logger.error(
        "Job %s gave up (task %s, args %s, kwargs %s): %s",
        name,
        task_id or "-",
        list(args or ()),
        dict(kwargs or {}),
        error,
    )
    return FailedJob.objects.create(
        name=name,
        args=list(args or ()),
        kwargs=dict(kwargs or {}),
        task_id=task_id or "",
        error=error,
    )


class Job(Task):
    """The base of every job: mail errors are retried, a job that gives up is kept."""

    autoretry_for = RETRIED_ERRORS
    retry_jitter = True

    def apply_async(
        self,
        args: Sequence[Any] | None = None,
        kwargs: dict[str, Any] | None = None,
        **options: Any,
    ) -> Any:
        """Queue the job; when the broker does not answer, keep it to replay.

        The caller, a request after its commit, carries on with its answer.
        """
        try:
            return super().apply_async(args, kwargs, **options)
        except OperationalError as error:
            record_failed_job(
                name=self.name,
                args=args,
                kwargs=kwargs,
                task_id="",
                error=f"not queued: {error!r}",
            )
            return None

    def on_retry(
        self,
        exc: BaseException,
        task_id: str,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        logger.warning(
            "Job %s will retry (task %s, args %s, kwargs %s): %r",
            self.name,
            task_id,
            list(args),
            dict(kwargs),
            exc,
        )

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: Sequence[Any],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        retries = self.request.retries or 0
        record_failed_job(
            name=self.name,
            args=args,
            kwargs=kwargs,
            task_id=task_id,
            error=f"after {retries + 1} attempt(s): {exc!r}",
        )


def job(func: Callable[..., Any]) -> Any:
    """Declare ``func`` a job, with the retry bounds of the settings."""
    return shared_task(
        base=Job,
        max_retries=settings.JOBS_MAX_RETRIES,
        retry_backoff=settings.JOBS_RETRY_BACKOFF,
        retry_backoff_max=settings.JOBS_RETRY_BACKOFF_MAX,
    )(func)


def enqueue_again(*, name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """Queue the job of that name again, with the same arguments."""
    autodiscover_modules("jobs")  # the worker's lookup, in any process
    task = current_app.tasks.get(name)
    if task is None:
        record_failed_job(
            name=name,
            args=args,
            kwargs=kwargs,
            task_id="",
            error="not queued: no job of that name",
        )
        return
    task.apply_async(args=list(args), kwargs=dict(kwargs))


@job
def purge_expired_sessions() -> None:
    """Deletes the sessions past their expiry (Django's ``clearsessions``).

    Run periodically by the beat scheduler (``config/celery.py``).
    """
    call_command("clearsessions")
