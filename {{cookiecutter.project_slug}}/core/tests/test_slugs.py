"""unique_slug: readable, bounded, never one that is taken."""

import pytest

from core.slugs import unique_slug


def slug(value, taken=(), max_length=50, fallback="item"):
    return unique_slug(
        value,
        is_taken=set(taken).__contains__,
        max_length=max_length,
        fallback=fallback,
    )


def test_free_slug_is_the_slugified_value():
    assert slug("Hello World!") == "hello-world"
    assert slug("Café Crème") == "cafe-creme"


def test_taken_slug_gets_a_numbered_suffix():
    assert slug("Acme", taken={"acme"}) == "acme-2"
    assert slug("Acme", taken={"acme", "acme-2", "acme-3"}) == "acme-4"


def test_is_taken_is_asked_until_a_free_candidate():
    asked = []

    def is_taken(candidate):
        asked.append(candidate)
        return len(asked) < 3

    assert (
        unique_slug("Acme", is_taken=is_taken, max_length=50, fallback="x") == "acme-3"
    )
    assert asked == ["acme", "acme-2", "acme-3"]


def test_slug_is_truncated_to_max_length():
    assert slug("a" * 60, max_length=10) == "a" * 10


def test_truncation_does_not_leave_a_trailing_hyphen():
    assert slug("hello world", max_length=6) == "hello"


def test_suffix_fits_within_max_length():
    result = slug("a" * 60, taken={"a" * 10}, max_length=10)
    assert result == "a" * 8 + "-2"
    many = {"a" * 10} | {"a" * 8 + f"-{n}" for n in range(2, 10)}
    result = slug("a" * 60, taken=many, max_length=10)
    assert result == "a" * 7 + "-10"
    assert len(result) == 10


@pytest.mark.parametrize("value", ["", "   ", "!!!", "日本語"])
def test_fallback_for_values_without_slug_characters(value):
    assert slug(value, fallback="org") == "org"
    assert slug(value, taken={"org"}, fallback="org") == "org-2"
