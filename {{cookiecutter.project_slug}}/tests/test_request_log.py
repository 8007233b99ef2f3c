"""One log line per request: id, user, method, path, status and duration.

Production writes it as JSON (tests/test_prod_settings.py starts the
production settings); development as plain text (below).
"""

import io
import json
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from core.logging_json import JsonFormatter, RequestIdFilter, current_request_id

NEW_REQUEST_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_lines(caplog):
    """The ``core.requests`` records logged so far, read after the request."""
    caplog.set_level(logging.INFO, logger="core.requests")
    return lambda: [r for r in caplog.records if r.name == "core.requests"]


def test_a_request_logs_one_line_with_its_fields(client, request_lines):
    response = client.get(reverse("healthz"))

    [line] = request_lines()
    assert NEW_REQUEST_ID.fullmatch(line.request_id)
    assert response["X-Request-ID"] == line.request_id
    assert (line.method, line.path, line.status, line.user_id) == (
        "GET",
        "/healthz",
        200,
        None,
    )
    assert isinstance(line.duration_ms, float)
    assert line.duration_ms >= 0
    assert line.getMessage().startswith("GET /healthz 200 ")


def test_each_request_gets_its_own_id(client, request_lines):
    client.get(reverse("healthz"))
    client.get(reverse("healthz"))

    first, second = request_lines()
    assert first.request_id != second.request_id


@pytest.mark.parametrize(
    "incoming", ["3f0b9c1e-5a6d-4e2f-9b7a-0c1d2e3f4a5b", "lb.7:abc+/=_-", "x"]
)
def test_a_plain_incoming_request_id_is_kept(client, request_lines, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})

    [line] = request_lines()
    assert line.request_id == incoming
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "two words", 'quote"d', "a" * 129, "é", "line\tbreak", "{json}"],
)
def test_an_unsafe_incoming_request_id_is_replaced(client, request_lines, incoming):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": incoming})

    [line] = request_lines()
    assert NEW_REQUEST_ID.fullmatch(line.request_id)
    assert response["X-Request-ID"] == line.request_id


def test_a_signed_in_page_logs_the_user_id(client, org_with_roles, request_lines):
    client.force_login(org_with_roles.member)

    client.get(reverse("orgs:list"))

    [line] = request_lines()
    assert line.user_id == org_with_roles.member.pk
    assert line.status == 200


@pytest.mark.django_db
def test_a_refusal_is_logged_with_its_status(client, request_lines):
    client.get(reverse("orgs:list"))
    client.get("/no-such-page/")

    assert [line.status for line in request_lines()] == [302, 404]


def test_json_lines_carry_the_extras_and_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("tests.request_log")
    logger.addHandler(handler)
    logger.propagate = False
    token = current_request_id.set("abc123")
    try:
        logger.warning("slow %s", "query", extra={"table": "tasks_task"})
    finally:
        current_request_id.reset(token)
        logger.removeHandler(handler)
        logger.propagate = True
    logger.warning("after the request")  # not captured: handler removed

    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "slow query"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tests.request_log"
    assert entry["table"] == "tasks_task"
    assert entry["request_id"] == "abc123"
    assert {"time", "level", "logger", "message", "table", "request_id"} == set(entry)


def test_a_json_line_outside_a_request_has_no_request_id():
    record = logging.makeLogRecord({"msg": "worker started", "levelname": "INFO"})

    assert RequestIdFilter().filter(record)
    assert "request_id" not in json.loads(JsonFormatter().format(record))


# A request on the development settings; its log goes to stdout.
DEV_REQUEST = """
import sys
sys.stderr = sys.stdout
import django
django.setup()
from django.test import Client
Client().get("/healthz", headers={"X-Request-ID": "dev-1"}, HTTP_HOST="localhost")
"""


def test_development_logs_plain_text():
    output = subprocess.check_output(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-c", DEV_REQUEST],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.dev"},
        text=True,
        timeout=60,
    )

    [line] = [line for line in output.splitlines() if "core.requests" in line]
    assert line.startswith("INFO ")
    assert re.search(r" core\.requests GET /healthz 200 \d+\.\dms user=None$", line)
