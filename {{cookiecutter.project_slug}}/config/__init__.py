"""What configures the running site; the job queue's app loads with it.

Loading the Celery app here binds every ``@job`` (``shared_task``) to it,
in the web processes as in the workers.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
