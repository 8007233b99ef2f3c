"""Path converters that match only what a stored value could be.

Django's ``int`` takes any number of digits and its ``str`` any character but
``/``, NUL included; neither fits a database column (a bigint has at most 19
digits, PostgreSQL text holds no NUL). A segment these refuse is a 404 before
any view or query sees it. ``CoreConfig.ready`` registers them once for every
URLconf: ``<id:task_id>``, ``<token:token>``.

Django's ``slug`` needs no bound: its alphabet is ASCII letters, digits, ``-``
and ``_``, and a slug is only compared with a column, never stored from a URL.
"""

from django.urls import register_converter
from django.urls.converters import get_converters


class IdConverter:
    """A primary key: 1 to 18 digits, so always inside a bigint."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class TokenConverter:
    """A secret from ``secrets.token_urlsafe``: its alphabet, as long as its column."""

    regex = "[-A-Za-z0-9_]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register_converters() -> None:
    """Make the converters known to every URLconf; safe to call more than once."""
    known = get_converters()
    if "id" not in known:
        register_converter(IdConverter, "id")
    if "token" not in known:
        register_converter(TokenConverter, "token")
