"""The image and compose.yaml agree with the settings and the probes.

Building and starting them needs a Docker daemon, which only CI has (the
workflow's image job); these read the two files, so a drift shows here.
"""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
# The variables config/settings/prod.py refuses to start without.
REQUIRED_IN_PRODUCTION = {
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((PROJECT / "compose.yaml").read_text("utf-8"))
    return dict(compose["services"])


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    text = (PROJECT / "Dockerfile").read_text("utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    return [
        line.strip()
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_prod_settings_require_what_compose_and_the_build_set(dockerfile):
    prod = (PROJECT / "config" / "settings" / "prod.py").read_text("utf-8")
    required = set(re.findall(r'env\.\w+\("([A-Z_]+)"\)', prod))
    required |= set(re.findall(r'strong_secret_key\("([A-Z_]+)"\)', prod))
    [collect] = [line for line in dockerfile if "collectstatic" in line]

    assert required == REQUIRED_IN_PRODUCTION
    for name in REQUIRED_IN_PRODUCTION:
        assert f"{name}=" in collect, name


def test_compose_runs_web_worker_and_migrations_on_the_image(services):
    assert set(services) == {"db", "redis", "migrate", "web", "worker"}
    for name in ("migrate", "web", "worker"):
        service = services[name]
        assert service["build"] == "."
        assert set(service["environment"]) >= REQUIRED_IN_PRODUCTION, name
    assert services["worker"]["command"][:3] == ["celery", "-A", "config"]
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for name in ("web", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_long_running_service_has_a_health_check(services):
    for name in ("db", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert any("/readyz" in part for part in services["web"]["healthcheck"]["test"])


def test_the_image_runs_gunicorn_as_a_numeric_non_root_user(dockerfile):
    froms = [line for line in dockerfile if line.startswith("FROM ")]
    [user] = [line for line in dockerfile if line.startswith("USER ")]
    uid = user.split()[1].split(":")[0]

    assert len(froms) == 2  # build, then run
    assert uid.isdigit() and int(uid) != 0
    assert dockerfile[-1].startswith('CMD ["gunicorn", "config.wsgi"')


def test_the_dependencies_layer_comes_before_the_code(dockerfile):
    copies = [line for line in dockerfile if line.startswith("COPY ")]

    assert copies[0] == "COPY pyproject.toml README.md ./"
    assert copies.index("COPY . .") > 0
