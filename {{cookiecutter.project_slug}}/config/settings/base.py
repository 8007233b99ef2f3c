"""Settings that are safe in every environment.

No secret lives here and DEBUG stays off: dev, test and prod add what they need.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django
import environ
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

PROJECT_NAME = {{ cookiecutter.project_name|jsonify }}
DOMAIN_NAME = "{{ cookiecutter.domain_name }}"
AUTHOR_NAME = {{ cookiecutter.author_name|jsonify }}
AUTHOR_EMAIL = "{{ cookiecutter.author_email }}"


def strong_secret_key(variable: str) -> str:
    """The secret key in ``variable``, refused unless it passes ``check --deploy``.

    Django only warns (security.W009) about a short, repetitive or generated
    development key; production does not start with one.
    """
    key = env.str(variable)
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"Set the {variable} environment variable to a random value of at "
            f"least {SECRET_KEY_MIN_LENGTH} characters, with at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters and not "
            f"starting with {SECRET_KEY_INSECURE_PREFIX!r}; for example: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


DEBUG = False
ALLOWED_HOSTS: list[str] = []

# Absolute links in e-mails are built from this, never from a request.
SITE_URL = env.str("SITE_URL", default=f"https://{DOMAIN_NAME}")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
LOCAL_APPS = [
    "core",
    "users",
    "orgs",
    "articles",
    "tasks",
    "dashboard",
]
THIRD_PARTY_APPS = [
    "axes",
    # Two-step verification (users/views_mfa.py): authenticator apps and
    # recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
{%- if cookiecutter.__api == "drf" %}
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
{%- endif %}
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# Django 6.0 sends the Content-Security-Policy itself; on 5.2 django-csp does.
_CSP_MIDDLEWARE = (
    "django.middleware.csp.ContentSecurityPolicyMiddleware"
    if django.VERSION >= (6, 0)
    else "csp.middleware.CSPMiddleware"
)

MIDDLEWARE = [
    # First, so its line times the whole answer, a redirect or refusal included.
    "core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    _CSP_MIDDLEWARE,
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Ends a signed-in session idle or old past its limits (core/sessions.py).
    "core.sessions.SessionTimeoutMiddleware",
    # Signed-in pages are not stored by any cache; log-out clears site data.
    "core.browser.PrivatePagesMiddleware",
    # user.is_verified(): whether this session gave a second-factor code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A session that owes a code, or staff at the admin site without one,
    # goes to the code page first.
    "users.views_mfa.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a refused log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.project",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
# django-axes refuses a locked-out log-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, reading a person's permissions in one query.
    "core.auth_backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# A signed-in session ends SESSION_IDLE_TIMEOUT_MINUTES after its last
# request and SESSION_MAX_AGE_HOURS after its log-in (core/sessions.py).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60)
SESSION_MAX_AGE_HOURS = env.int("SESSION_MAX_AGE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_HOURS * 3600

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of 20,000 common (breached) passwords, checked offline.
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the project's name, nor the name of one of the user's organizations.
    {"NAME": "users.forms_passwords.ContextWordsValidator"},
]
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = PROJECT_NAME

LANGUAGE_CODE = "en-us"
TIME_ZONE = "{{ cookiecutter.time_zone }}"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default=AUTHOR_EMAIL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Django 6.0 takes plain addresses and deprecates the (name, address) pairs.
ADMINS: list[Any] = (
    [AUTHOR_EMAIL] if django.VERSION >= (6, 0) else [(AUTHOR_NAME, AUTHOR_EMAIL)]
)
MANAGERS = ADMINS

ORGS_INVITE_TTL_DAYS = 7
# Invitations one organization may send in 24 hours, whoever sends them.
ORGS_INVITES_PER_DAY = env.int("ORGS_INVITES_PER_DAY", default=100)

# Abuse limits on what sends mail or creates accounts or content, as
# "count/period" (second, minute, hour, day): the pages count each POST per
# client address, user or e-mail (core/rate_limits.py), the API per user or
# address (DRF's scoped throttling, core.api.WriteRateThrottle).
ABUSE_LIMITS = {
    # Per client address, and per e-mail address asked for.
    "password_reset": env.str("LIMIT_PASSWORD_RESET", default="5/hour"),
    # Per client address.
    "signup": env.str("LIMIT_SIGNUP", default="20/hour"),
    # Per user.
    "invite": env.str("LIMIT_INVITE", default="60/hour"),
    "comment": env.str("LIMIT_COMMENT", default="30/hour"),
    "organization_create": env.str("LIMIT_ORGANIZATION_CREATE", default="20/hour"),
}

# Content-Security-Policy: the pages load only this site's own files and run
# nothing inline (no <script> or <style> element, no style= or on*= attribute).
CONTENT_SECURITY_POLICY_DIRECTIVES = {
    "default-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
}


def csp_settings(
    directives: dict[str, list[str]], *, report_only: bool = False
) -> dict[str, Any]:
    """The Content-Security-Policy settings in the form this Django expects.

    ``report_only`` has browsers report what the policy would block, and block
    nothing.
    """
    enforced, reported = ({}, directives) if report_only else (directives, {})
    if django.VERSION >= (6, 0):
        return {"SECURE_CSP": enforced, "SECURE_CSP_REPORT_ONLY": reported}
    return {
        "CONTENT_SECURITY_POLICY": {"DIRECTIVES": enforced} if enforced else None,
        "CONTENT_SECURITY_POLICY_REPORT_ONLY": (
            {"DIRECTIVES": reported} if reported else None
        ),
    }


globals().update(csp_settings(CONTENT_SECURITY_POLICY_DIRECTIVES))

# Permissions-Policy: the pages use none of these browser features, so no page
# (nor anything it frames) may ask for them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}

{% if cookiecutter.__api == "drf" %}# The REST API (/api/v1/): the browser's session (with CSRF) or a personal
# access token (knox: stored hashed, expiring, revocable); anonymous callers
# get 401. Every error answers in core.api's envelope; every list is paged
# (core.api.Pagination, named by each list: a setting here would import it
# while DRF itself is still loading).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so an anonymous call answers 401 with WWW-Authenticate.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # OPTIONS answers 405: the schema describes every operation instead.
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
        **ABUSE_LIMITS,
    },
}
# Personal access tokens: shown once, stored as a SHA-512 digest, expiring.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": PROJECT_NAME + " API",
    "DESCRIPTION": "The same rules as the pages: one set of selectors, services "
    "and permissions behind both.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's files come from drf-spectacular-sidecar: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("status") get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "TaskStatusEnum": "tasks.types.TaskStatus",
        "ArticleStatusEnum": "articles.types.ArticleStatus",
    },
}

{% endif %}# Log-in throttling (django-axes): AXES_FAILURE_LIMIT failed log-ins for one
# account, or from one address, lock that account and that address out until
# AXES_COOLOFF_TIME has passed since the last failure; the log-in page then
# answers 429 with registration/locked_out.html. Staff see the attempts in the
# admin and can delete them to unlock early.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip_address"
AXES_USERNAME_CALLABLE = "core.throttling.attempted_username"
# How many proxies in front of the site append to X-Forwarded-For; 0 means
# clients connect directly and REMOTE_ADDR is their address.
TRUSTED_PROXY_COUNT = 0

# Django 6.1 configures mail with MAILERS and deprecates the EMAIL_* settings
# that Django 5.2 still needs; each settings module asks for its backend here.
_LEGACY_EMAIL_OPTIONS = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "timeout": "EMAIL_TIMEOUT",
}


def email_settings(backend: str, **options: Any) -> dict[str, Any]:
    """The mail settings for ``backend`` in the form this Django expects."""
    if django.VERSION >= (6, 1):
        return {"MAILERS": {"default": {"BACKEND": backend, "OPTIONS": options}}}
    legacy = {_LEGACY_EMAIL_OPTIONS[name]: value for name, value in options.items()}
    return {"EMAIL_BACKEND": backend, **legacy}


globals().update(email_settings("django.core.mail.backends.smtp.EmailBackend"))

# Plain text, one line per request among them (core.requests); production
# writes the same lines as JSON.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging_json.RequestIdFilter"}},
    "formatters": {
        "plain": {
            "()": "core.logging_json.PlainFormatter",
            "fmt": "%(levelname)s %(asctime)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    # The request log says it all; runserver's own line only for errors.
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Jobs (Celery): side effects leave the request after its commit. Each
# settings module says where they run: dev and test in-process, right after
# the commit; prod on workers, through the broker at CELERY_BROKER_URL.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A job's message is acknowledged once it has run, so a worker that dies
# mid-job leaves it to another: jobs are safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nobody waits for a job's return value: no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker logs through LOGGING, like the web processes.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A job that fails on a mail error is retried up to JOBS_MAX_RETRIES times,
# the n-th after a random delay of up to JOBS_RETRY_BACKOFF * 2**n seconds,
# never more than JOBS_RETRY_BACKOFF_MAX (under Redis's one-hour visibility
# timeout); then it gives up, and waits in core.FailedJob for a replay.
JOBS_MAX_RETRIES = env.int("JOBS_MAX_RETRIES", default=10)
JOBS_RETRY_BACKOFF = env.int("JOBS_RETRY_BACKOFF", default=2)
JOBS_RETRY_BACKOFF_MAX = env.int("JOBS_RETRY_BACKOFF_MAX", default=600)
