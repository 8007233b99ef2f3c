"""The client's address: REMOTE_ADDR, or what the trusted proxies appended."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip_address

PROXY = "10.0.0.2"


def address(forwarded_for: str | None = None) -> str | None:
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = PROXY
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_ip_address(request)


def test_without_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert address("203.0.113.7") == PROXY


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        # Whatever the client sent itself comes first and is not believed.
        ("198.51.100.66, 203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_one_proxy_the_last_entry_is_the_client(settings, forwarded_for, client):
    settings.TRUSTED_PROXY_COUNT = 1

    assert address(forwarded_for) == client


def test_behind_two_proxies_the_second_last_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert address("198.51.100.66, 203.0.113.7, 10.0.0.1") == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded_for", [None, "", "not an address", "203.0.113.7:443"]
)
def test_an_unusable_header_falls_back_to_the_connection(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1

    assert address(forwarded_for) == PROXY


def test_fewer_entries_than_proxies_fall_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert address("203.0.113.7") == PROXY
