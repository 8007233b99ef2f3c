"""Security events: one line each, with the address and the request id."""

import logging

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core.logging_json import JsonFormatter, PlainFormatter, current_request_id
from core.security_log import log_security_event


def test_an_event_names_the_address_and_the_request(caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/accounts/login/", headers={"x-forwarded-for": "203.0.113.7"}
    )
    request.user = AnonymousUser()
    token = current_request_id.set("req-42")
    try:
        with caplog.at_level(logging.INFO, logger="security"):
            log_security_event("login_failed", request=request, username_tried="bob")
    finally:
        current_request_id.reset(token)

    (record,) = [r for r in caplog.records if r.name == "security"]
    assert vars(record) | {
        "event": "login_failed",
        "user_id": None,
        "client_ip": "203.0.113.7",
        "request_id": "req-42",
        "username_tried": "bob",
    } == vars(record)


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
