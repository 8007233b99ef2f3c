"""The job queue: the Celery app, configured from the Django settings.

Its settings are the ``CELERY_``-prefixed ones (``CELERY_BROKER_URL``, ...).
The jobs live in each app's ``jobs.py``, where the app looks for them;
never in ``<app>/tasks.py`` (``tasks`` is one of the apps). A worker runs
with the production settings unless told otherwise, as the WSGI entry point
does: ``celery -A config worker`` (``make worker`` uses the dev settings).
"""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_init
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("{{ cookiecutter.project_slug }}")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
# Periodic jobs, queued by one beat process per site (`make beat`, or
# `celery -A config beat`; a single worker may run it with `worker -B`).
app.conf.beat_schedule = {
    "purge-expired-sessions": {
        "task": "core.jobs.purge_expired_sessions",
        "schedule": 60 * 60,  # seconds
    },
}


@worker_init.connect
def refuse_in_process_settings(**kwargs: Any) -> None:
    """A worker is pointless where every job runs in the request's process."""
    if app.conf.task_always_eager:
        raise ImproperlyConfigured(
            "These settings run every job in-process (CELERY_TASK_ALWAYS_EAGER): "
            "set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to start a worker."
        )
