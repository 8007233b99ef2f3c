"""Production settings: no development tool, shared state only, JSON logs, probes.

Production installs no development tool, so none of them ever runs there;
it keeps nothing in a process's memory that another web process would need;
it logs one JSON object per line; its probes answer plain HTTP.
"""

import json
import os
import secrets
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings


def run_on_prod_settings(*args: str) -> str:
    """The output of ``python ARGS`` in the project, on the production settings."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "{{ cookiecutter.domain_name }}",
        "DATABASE_URL": "sqlite:///:memory:",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_manage_py_help_on_prod_lists_no_development_command():
    commands = run_on_prod_settings("manage.py", "help").split()

    assert "migrate" in commands
    assert not {"addapp", "seed_demo", "[devtools]"} & set(commands)


def test_prod_installs_no_development_tool():
    apps = run_on_prod_settings(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(*settings.INSTALLED_APPS)",
    ).split()

    assert "core" in apps
    assert "devtools" not in apps


# Where production keeps what every web process must see alike.
PRINT_SHARED_STATE = """
import json

import django

django.setup()
from django.conf import settings
{%- if cookiecutter.__api == "drf" %}
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle
{%- endif %}

print(json.dumps({
    "caches": sorted({cache["BACKEND"] for cache in settings.CACHES.values()}),
    "cache_location": settings.CACHES["default"]["LOCATION"],
    "sessions": settings.SESSION_ENGINE,
    "static_files": settings.STORAGES["staticfiles"]["BACKEND"],
    "login_throttling": settings.AXES_HANDLER,
{%- if cookiecutter.__api == "drf" %}
    "api_throttling_in_default_cache": SimpleRateThrottle.cache is cache,
{%- endif %}
}))
"""


def test_prod_keeps_shared_state_in_redis_and_the_database():
    state = json.loads(run_on_prod_settings("-c", PRINT_SHARED_STATE))

    assert state["caches"] == ["django.core.cache.backends.redis.RedisCache"]
    assert state["cache_location"] == "redis://127.0.0.1:6379/1"  # REDIS_URL
    assert state["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert (
        state["static_files"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert state["login_throttling"] == "axes.handlers.database.AxesDatabaseHandler"
{%- if cookiecutter.__api == "drf" %}
    assert state["api_throttling_in_default_cache"]
{%- endif %}


# Plain-HTTP requests, as a load balancer's probe sends them; the log lines
# (stderr) and the answers, one JSON object per line each, on stdout.
REQUEST_THE_PROBES = """
import json
import sys

sys.stderr = sys.stdout
import django

django.setup()
from django.test import Client

client = Client(HTTP_HOST="{{ cookiecutter.domain_name }}")
for path in ("/healthz", "/readyz", "/"):
    response = client.get(path)
    print(json.dumps({
        "answer": path,
        "status": response.status_code,
        "location": response.get("Location"),
        "cookies": sorted(response.cookies),
    }))
"""


@pytest.fixture(scope="module")
def probe_output() -> list[dict[str, Any]]:
    """Every line the probe requests printed, each parsed as JSON."""
    # WhiteNoise warns that no collectstatic ran, outside the logging.
    lines = run_on_prod_settings(
        "-W", "ignore::UserWarning", "-c", REQUEST_THE_PROBES
    ).splitlines()
    return [json.loads(line) for line in lines]


def test_prod_probes_answer_plain_http_without_redirect_or_cookie(probe_output):
    answers = {line["answer"]: line for line in probe_output if "answer" in line}

    assert answers["/"]["status"] == 301  # the rest of the site goes to HTTPS
    assert answers["/healthz"] == {
        "answer": "/healthz",
        "status": 200,
        "location": None,
        "cookies": [],
    }
    # 503 where no Redis listens on 127.0.0.1:6379; never a redirect.
    assert answers["/readyz"]["status"] in (200, 503)
    assert answers["/readyz"]["location"] is None
    assert answers["/readyz"]["cookies"] == []


def test_prod_logs_one_json_line_per_request(probe_output):
    requests = [line for line in probe_output if line.get("logger") == "core.requests"]
    statuses = {
        line["answer"]: line["status"] for line in probe_output if "answer" in line
    }

    assert [(line["method"], line["path"], line["status"]) for line in requests] == [
        ("GET", path, statuses[path]) for path in ("/healthz", "/readyz", "/")
    ]
    for line in requests:
        assert len(line["request_id"]) == 32
        assert line["user_id"] is None
        assert line["duration_ms"] >= 0
        assert line["level"] == "INFO"
