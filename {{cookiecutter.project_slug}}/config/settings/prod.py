"""Production: every secret comes from the environment, and HTTPS is enforced.

A missing variable stops the start with django-environ's message naming it,
for example ``Set the DJANGO_SECRET_KEY environment variable``; so does a weak
secret key, with what a strong one needs.
"""

from .base import *  # noqa: F403
from .base import LOGGING, email_settings, env, strong_secret_key

SECRET_KEY = strong_secret_key("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL only over TLS, unless DATABASE_SSL_REQUIRE=false says the
# database is reached another safe way (the same host, a private network);
# an sslmode in DATABASE_URL (verify-full, for one) wins.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_SSL_REQUIRE", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("sslmode", "require")

# The cache every web process shares: sessions, the API's throttling counts.
# Redis, for example redis://127.0.0.1:6379/1: a database apart from the
# broker's, since clearing the cache empties its whole database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("REDIS_URL"),
        # Seconds to connect and to answer: a Redis that is down fails a
        # request, or the readiness probe, fast instead of hanging it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# Sessions are read from the cache and written through to the database: any
# process reads any session, and a Redis restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# X-Forwarded-Proto says whether the client spoke HTTPS; only a proxy that
# overwrites the client's own header may be believed, so it is trusted only
# when DJANGO_BEHIND_TLS_PROXY=true says the site is behind one.
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's probes talk plain HTTP to the process (core/views.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix: the browser keeps these cookies only when set over
# HTTPS, for this host alone (no Domain) and the whole site (Path=/), so a
# sibling subdomain cannot plant or overwrite them.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The load balancer in front of the site appends the client's address to
# X-Forwarded-For; the log-in throttling counts failures per that address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)

globals().update(
    email_settings(
        env.str(
            "DJANGO_EMAIL_BACKEND",
            default="django.core.mail.backends.smtp.EmailBackend",
        ),
        host=env.str("DJANGO_EMAIL_HOST", default="localhost"),
        # Submission with STARTTLS: credentials and mail never cross in clear.
        port=env.int("DJANGO_EMAIL_PORT", default=587),
        username=env.str("DJANGO_EMAIL_HOST_USER", default=""),
        password=env.str("DJANGO_EMAIL_HOST_PASSWORD", default=""),
        use_tls=env.bool("DJANGO_EMAIL_USE_TLS", default=True),
        # Seconds an SMTP conversation may hang before the job fails (and retries).
        timeout=env.int("DJANGO_EMAIL_TIMEOUT", default=30),
    )
)

# One JSON object per line, for the log collector: each request's line
# (core.requests) carries request_id, user_id, method, path, status and
# duration_ms; every line logged during a request carries its request_id.
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "core.logging_json.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
}

# Jobs leave for the workers through this broker: Redis, for example
# redis://127.0.0.1:6379/0 (rediss:// with TLS).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
