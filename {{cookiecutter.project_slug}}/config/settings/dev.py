"""Local development: debug pages, console mail, a fake key, the devtools app."""

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    CONTENT_SECURITY_POLICY_DIRECTIVES,
    INSTALLED_APPS,
    csp_settings,
    email_settings,
    env,
)

env.read_env(BASE_DIR / ".env")

DEBUG = True
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY",
    default="django-insecure-dev-only-key-never-use-this-in-production",
)
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
# manage.py seed_demo may create its demo accounts (devtools/safety.py).
DEMO_DATA_ALLOWED = True
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# The browser's console reports what the Content-Security-Policy would block,
# and Django's debug pages, which need inline styles and scripts, still work.
globals().update(csp_settings(CONTENT_SECURITY_POLICY_DIRECTIVES, report_only=True))

globals().update(
    email_settings(
        env.str(
            "DJANGO_EMAIL_BACKEND",
            default="django.core.mail.backends.console.EmailBackend",
        )
    )
)

# Jobs run in-process right after the commit, so no broker is needed; set
# CELERY_BROKER_URL (here or in .env) to send them to `make worker` instead.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL.startswith("memory://")
# A failing job is logged and kept (core.FailedJob); the request carries on.
CELERY_TASK_EAGER_PROPAGATES = False
