"""The probes: /healthz touches nothing, /readyz names each service that is down.

A service is made unreachable by pointing its setting at a closed port on
the loopback; nothing here needs Redis or PostgreSQL to be running.
"""

import json
import socket
from collections.abc import Iterator
from importlib import import_module

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend
from django.urls import reverse

from core import health


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def unreachable_cache(settings, closed_port) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }


@pytest.fixture
def unreachable_broker(closed_port) -> Iterator[None]:
    saved = current_app.conf.broker_url
    current_app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port}/0")
    try:
        yield
    finally:
        current_app.conf.update(broker_url=saved)


@pytest.fixture
def unreachable_database(monkeypatch, closed_port) -> None:
    """The probe's database connection aimed at a PostgreSQL that is not there."""
    engine = "django.db.backends.postgresql"
    settings_dict = connection.settings_dict | {
        "ENGINE": engine,
        "NAME": "nowhere",
        "USER": "nobody",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": str(closed_port),
        "OPTIONS": {"connect_timeout": 2},
    }
    wrapper = load_backend(engine).DatabaseWrapper(settings_dict, alias="unreachable")
    monkeypatch.setattr(health, "connection", wrapper)


@pytest.fixture
def signed_in_client(client, org_with_roles):
    client.force_login(org_with_roles.member)
    return client


@pytest.fixture
def session_reads_fail(monkeypatch, signed_in_client) -> None:
    """Once signed in, any read of a session from its store fails the test."""

    def refuse(self, *args, **kwargs):
        raise AssertionError("a probe read the session")

    store = import_module(settings.SESSION_ENGINE).SessionStore
    monkeypatch.setattr(store, "load", refuse)


def test_healthz_answers_alive_without_the_database(client):
    # No django_db mark: a query would fail the test.
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "alive"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_stays_alive_while_every_service_is_down(
    client, unreachable_cache, unreachable_broker, unreachable_database
):
    assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_readyz_answers_200_when_every_service_answers(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "down": []}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("broken", "down"),
    [
        (["unreachable_cache"], ["cache"]),
        (["unreachable_broker"], ["broker"]),
        (["unreachable_database"], ["database"]),
        (
            ["unreachable_database", "unreachable_cache", "unreachable_broker"],
            ["database", "cache", "broker"],
        ),
    ],
)
def test_readyz_answers_503_naming_each_unreachable_service(
    client, request, broken, down
):
    for fixture in broken:
        request.getfixturevalue(fixture)

    response = client.get(reverse("readyz"))

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "unavailable", "down": down}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_neither_read_a_session_nor_set_a_cookie(
    signed_in_client, session_reads_fail, name
):
    response = signed_in_client.get(reverse(name))

    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_need_no_login_and_refuse_writes(client, name):
    response = client.post(reverse(name))

    assert response.status_code == 405
