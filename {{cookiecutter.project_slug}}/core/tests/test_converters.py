"""The path converters match only what a stored value could be."""

import re

import pytest
from django.urls import reverse
from django.urls.converters import get_converters

from core.converters import IdConverter, TokenConverter, register_converters


def matches(converter, value):
    return re.fullmatch(converter.regex, value) is not None


@pytest.mark.parametrize("value", ["1", "007", "9" * 18])
def test_an_id_is_one_to_eighteen_digits(value):
    assert matches(IdConverter, value)
    assert IdConverter().to_python(value) == int(value)


@pytest.mark.parametrize("value", ["", "9" * 19, "-1", "1.0", "\u0661", "1\x00"])
def test_anything_else_is_no_id(value):
    assert not matches(IdConverter, value)


def test_eighteen_digits_always_fit_a_bigint():
    assert int("9" * 18) < 2**63 - 1


@pytest.mark.parametrize("value", ["some-token", "Ab_9-", "x" * 64])
def test_a_token_is_the_url_safe_alphabet_up_to_its_column(value):
    assert matches(TokenConverter, value)


@pytest.mark.parametrize("value", ["", "x" * 65, "a\x00b", "a.b", "a b", "é", "a%00"])
def test_anything_else_is_no_token(value):
    assert not matches(TokenConverter, value)


def test_the_converters_are_registered_once_and_reversible():
    register_converters()  # again: no warning about overriding
    assert {"id", "token"} <= set(get_converters())
    assert reverse("orgs:invite_accept", kwargs={"token": "abc"}).endswith("/abc/")
    assert "/123/" in reverse("tasks:detail", kwargs={"org_slug": "a", "task_id": 123})
