"""Security events: one line each, with the user, the address and the request id."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.logging_json import JsonFormatter, PlainFormatter, current_request_id
from core.security_log import log_security_event
from users.tests.factories import UserFactory


def test_an_event_names_the_user_the_address_and_the_request(db, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory.create(username="alice")
    request = RequestFactory().get("/", headers={"x-forwarded-for": "203.0.113.7"})
    request.user = user
    token = current_request_id.set("req-42")
    try:
        with caplog.at_level(logging.INFO, logger="security"):
            log_security_event("csv_export", request=request, organization_id=3)
    finally:
        current_request_id.reset(token)

    (record,) = [r for r in caplog.records if r.name == "security"]
    assert record.event == "csv_export"
    assert record.user_id == user.pk
    assert record.username == "alice"
    assert record.client_ip == "203.0.113.7"
    assert record.request_id == "req-42"
    assert record.organization_id == 3


def test_an_anonymous_event_names_no_user(caplog):
    request = RequestFactory().post("/accounts/login/")
    request.user = AnonymousUser()
    with caplog.at_level(logging.INFO, logger="security"):
        log_security_event("login_failed", request=request, username_tried="bob")

    (record,) = [r for r in caplog.records if r.name == "security"]
    assert record.user_id is None
    assert record.username_tried == "bob"


def forged_record() -> logging.LogRecord:
    return logging.makeLogRecord(
        {
            "name": "security",
            "levelname": "INFO",
            "msg": "security event=login username=%s",
            "args": ("eve\nINFO security event=login username=admin",),
        }
    )


def test_a_line_break_in_user_text_cannot_forge_a_plain_line():
    line = PlainFormatter("%(levelname)s %(name)s %(message)s").format(forged_record())

    assert "\n" not in line
    assert "eve\\nINFO" in line


def test_a_line_break_in_user_text_cannot_forge_a_json_line():
    line = JsonFormatter().format(forged_record())

    assert "\n" not in line
