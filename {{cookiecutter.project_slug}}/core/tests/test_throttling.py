"""The username the log-in throttling records fits its column."""

from django.test import RequestFactory

from core.throttling import USERNAME_MAX_LENGTH, attempted_username


def test_the_name_from_the_credentials_is_cut_to_the_column():
    request = RequestFactory().post("/accounts/login/")
    name = attempted_username(request, {"username": "u" * 1000})
    assert name == "u" * USERNAME_MAX_LENGTH


def test_without_credentials_the_posted_name_is_read():
    request = RequestFactory().post("/accounts/login/", {"username": "alice"})
    assert attempted_username(request, None) == "alice"


def test_no_name_is_none():
    assert attempted_username(RequestFactory().post("/"), None) is None
