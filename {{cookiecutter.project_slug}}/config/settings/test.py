"""Tests: fast hashing, mail kept in memory, no .env file, the devtools app."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, email_settings, env

SECRET_KEY = "django-insecure-test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
# manage.py seed_demo may create its demo accounts (devtools/safety.py).
DEMO_DATA_ALLOWED = True
SITE_URL = "http://testserver"

DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
globals().update(email_settings("django.core.mail.backends.locmem.EmailBackend"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
}

# Serve static files from the finders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Jobs run in-process right after the commit (no broker); a failing job is
# kept as a core.FailedJob, never raised into the request. Retries are
# immediate in-process, and few.
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = False
JOBS_MAX_RETRIES = 2
JOBS_RETRY_BACKOFF = 1
JOBS_RETRY_BACKOFF_MAX = 1
