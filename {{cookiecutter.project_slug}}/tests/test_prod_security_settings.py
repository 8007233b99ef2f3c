"""Production refuses a weak secret key and enforces the security policies.

Each case starts the project in its own process, as a server would; the
processes run side by side, since each start takes about a second.
"""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PROD_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "{{ cookiecutter.domain_name }}",
    "DATABASE_URL": "sqlite:///:memory:",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
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


def test_prod_refuses_to_start_without_a_strong_secret_key():
    keys = {
        "unset": None,
        "empty": "",
        "3 characters": "abc",
        "4 different characters": "abcd" * 20,
        "Django's generated development key": "django-insecure-"
        + secrets.token_urlsafe(50),
    }
    starts = {
        case: start("manage.py", "check", DJANGO_SECRET_KEY=key)
        for case, key in keys.items()
    }

    for case, process in starts.items():
        _, errors = process.communicate(timeout=120)
        refusal = errors.strip().splitlines()[-1]
        assert process.returncode != 0, f"{case}: started"
        if case == "unset":
            assert refusal.endswith("Set the DJANGO_SECRET_KEY environment variable")
        else:
            assert WEAK_KEY_MESSAGE in refusal, f"{case}: {refusal}"
        key = keys[case]
        if key:
            assert key not in errors, f"{case}: the key is printed"


def test_prod_enforces_the_policies_and_dev_reports_them():
    prod = start("-c", PRINT_POLICIES, "{{ cookiecutter.domain_name }}")
    dev = start(
        "-c",
        PRINT_POLICIES,
        "localhost",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_SECRET_KEY=None,
        DATABASE_URL=None,
    )
    prod_output, prod_errors = prod.communicate(timeout=120)
    dev_output, dev_errors = dev.communicate(timeout=120)
    assert prod.returncode == 0, prod_errors
    assert dev.returncode == 0, dev_errors
    prod_headers = json.loads(prod_output.splitlines()[-1])
    dev_headers = json.loads(dev_output.splitlines()[-1])

    assert "default-src 'self'" in prod_headers["Content-Security-Policy"]
    assert prod_headers["Content-Security-Policy-Report-Only"] is None
    assert "camera=()" in prod_headers["Permissions-Policy"]
    assert dev_headers["Content-Security-Policy"] is None
    assert "default-src 'self'" in dev_headers["Content-Security-Policy-Report-Only"]
    assert "camera=()" in dev_headers["Permissions-Policy"]
    # Production sits behind a load balancer; a developer's browser does not.
    assert prod_headers["TRUSTED_PROXY_COUNT"] == 1
    assert dev_headers["TRUSTED_PROXY_COUNT"] == 0
