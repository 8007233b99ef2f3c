"""Log-in, failed log-in, log-out and password changes on the ``security`` logger."""

import logging

from django.urls import reverse

from users.tests.factories import DEFAULT_PASSWORD, UserFactory


def events(records: list[logging.LogRecord]) -> list[tuple[str, str | None]]:
    return [(vars(record)["event"], vars(record)["username"]) for record in records]


def test_log_in_and_log_out_are_logged_with_the_address_and_request_id(
    client, db, security_events
):
    UserFactory.create(username="alice")

    client.post(reverse("login"), {"username": "alice", "password": DEFAULT_PASSWORD})
    response = client.post(reverse("logout"))

    assert events(security_events()) == [("login", "alice"), ("logout", "alice")]
    logout = vars(security_events()[-1])
    assert logout["request_id"] == response["X-Request-ID"]
    assert logout["client_ip"] == "127.0.0.1"
    assert logout["user_id"] is not None


def test_a_failed_log_in_names_the_username_tried_never_the_password(
    client, db, security_events
):
    client.post(
        reverse("login"),
        {"username": "alice\nforged", "password": "a guessed passphrase"},
    )

    (record,) = security_events()
    assert vars(record)["event"] == "login_failed"
    assert record.levelname == "WARNING"
    assert vars(record)["username_tried"] == "alice\nforged"
    assert "guessed" not in record.getMessage()


def test_a_password_change_is_logged_and_a_profile_edit_is_not(db, security_events):
    user = UserFactory.create(username="alice")

    user.first_name = "Alice"
    user.save()
    user.set_password("a new long passphrase")
    user.save()

    assert events(security_events()) == [("password_changed", "alice")]
