"""Production refuses a weak secret key and enforces the security policies.

Each case starts the project in its own process, as a server would; the
processes all run side by side, since each start takes about a second.
"""

import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings

PROD_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "{{ cookiecutter.domain_name }}",
    "DATABASE_URL": "sqlite:///:memory:",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}

WEAK_KEY_MESSAGE = (
    "Set the DJANGO_SECRET_KEY environment variable to a random value of at "
    "least 50 characters, with at least 5 different characters and not "
    "starting with 'django-insecure-'"
)

# A request for the host in argv[1], through every middleware, to a page that
# renders no template (prod serves only collected static files). It prints the
# answer's policy headers, and how many proxies the log-in throttling trusts.
PRINT_POLICIES = """
import json
import sys

import django
from django.conf import settings
from django.test import Client

django.setup()
response = Client().get("/accounts/logout/", secure=True, HTTP_HOST=sys.argv[1])
print(json.dumps({
    "TRUSTED_PROXY_COUNT": settings.TRUSTED_PROXY_COUNT,
    "cookies": [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME],
    **{
        name: response.headers.get(name)
        for name in (
            "Content-Security-Policy",
            "Content-Security-Policy-Report-Only",
            "Permissions-Policy",
        )
    },
}))
"""


# How production reaches its mail server and database, and which client
# header tells it the request came over HTTPS.
PRINT_TRANSPORT = """
import json

import django
from django.conf import settings

django.setup()
# Django 6.1 keeps the mail settings in MAILERS; earlier lines in EMAIL_*.
mailer = getattr(settings, "MAILERS", {}).get("default", {}).get("OPTIONS")
print(json.dumps({
    "mail": (
        [mailer.get(name) for name in ("port", "use_tls", "timeout")]
        if mailer is not None
        else [
            getattr(settings, name, None)
            for name in ("EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_TIMEOUT")
        ]
    ),
    "sslmode": settings.DATABASES["default"].get("OPTIONS", {}).get("sslmode"),
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
}))
"""
POSTGRES_URL = "postgres://app@db.internal:5432/app"


def start(*args: str, **variables: str | None) -> subprocess.Popen[str]:
    """``python ARGS`` in the project, on prod settings changed by ``variables``.

    A variable given as None is left out of the environment.
    """
    environment = os.environ | PROD_ENVIRONMENT | variables
    return subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={name: value for name, value in environment.items() if value is not None},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


WEAK_KEYS: dict[str, str | None] = {
    "unset": None,
    "empty": "",
    "3 characters": "abc",
    "4 different characters": "abcd" * 20,
    "Django's generated development key": "django-insecure-"
    + secrets.token_urlsafe(50),
}


@dataclass(frozen=True)
class Run:
    returncode: int
    output: str
    errors: str


@pytest.fixture(scope="module")
def runs() -> dict[str, Run]:
    """Every start this module checks, run side by side, by name."""
    started = {
        f"key {case}": start("manage.py", "check", DJANGO_SECRET_KEY=key)
        for case, key in WEAK_KEYS.items()
    }
    started["prod"] = start("-c", PRINT_POLICIES, "{{ cookiecutter.domain_name }}")
    started["dev"] = start(
        "-c",
        PRINT_POLICIES,
        "localhost",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_SECRET_KEY=None,
        DATABASE_URL=None,
    )
    started["transport"] = start("-c", PRINT_TRANSPORT, DATABASE_URL=POSTGRES_URL)
    started["transport told otherwise"] = start(
        "-c",
        PRINT_TRANSPORT,
        DATABASE_URL=POSTGRES_URL,
        DATABASE_SSL_REQUIRE="false",
        DJANGO_BEHIND_TLS_PROXY="true",
    )
    runs = {}
    for name, process in started.items():
        output, errors = process.communicate(timeout=120)
        runs[name] = Run(process.returncode, output, errors)
    return runs


@pytest.mark.parametrize("case", WEAK_KEYS)
def test_prod_refuses_to_start_without_a_strong_secret_key(runs, case):
    run = runs[f"key {case}"]
    refusal = run.errors.strip().splitlines()[-1]
    key = WEAK_KEYS[case]

    assert run.returncode != 0
    if key is None:
        assert refusal.endswith("Set the DJANGO_SECRET_KEY environment variable")
    else:
        assert WEAK_KEY_MESSAGE in refusal
    if key:
        assert key not in run.errors, "the refusal prints the key"


def policies(run: Run) -> dict[str, Any]:
    assert run.returncode == 0, run.errors
    return dict(json.loads(run.output.splitlines()[-1]))


def test_prod_starts_with_a_strong_key_and_enforces_the_policies(runs):
    headers = policies(runs["prod"])

    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Content-Security-Policy-Report-Only"] is None
    assert "camera=()" in headers["Permissions-Policy"]


def test_dev_reports_the_content_security_policy_without_enforcing_it(runs):
    headers = policies(runs["dev"])

    assert headers["Content-Security-Policy"] is None
    assert "default-src 'self'" in headers["Content-Security-Policy-Report-Only"]
    assert "camera=()" in headers["Permissions-Policy"]


def test_only_prod_counts_log_in_failures_behind_a_proxy(runs):
    """Production sits behind a load balancer; a developer's browser does not."""
    assert policies(runs["prod"])["TRUSTED_PROXY_COUNT"] == 1
    assert policies(runs["dev"])["TRUSTED_PROXY_COUNT"] == 0


def test_only_prod_names_its_cookies_for_this_host_over_https_alone(runs):
    assert policies(runs["prod"])["cookies"] == ["__Host-sessionid", "__Host-csrftoken"]
    assert policies(runs["dev"])["cookies"] == ["sessionid", "csrftoken"]


def test_prod_sends_mail_over_tls_with_a_timeout(runs):
    assert policies(runs["transport"])["mail"] == [587, True, 30]


def test_prod_reaches_postgresql_only_over_tls_unless_told_otherwise(runs):
    assert policies(runs["transport"])["sslmode"] == "require"
    assert policies(runs["transport told otherwise"])["sslmode"] is None


def test_prod_believes_the_forwarded_protocol_only_behind_a_proxy_it_is_told_of(
    runs,
):
    assert policies(runs["transport"])["proxy_ssl_header"] is None
    assert policies(runs["transport told otherwise"])["proxy_ssl_header"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]
