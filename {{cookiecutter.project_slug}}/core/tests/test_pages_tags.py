"""The shared template helpers: list links without empty parameters, valid times."""

from datetime import UTC, date, datetime

from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from core.templatetags.pages import list_query, time_element


def _query(path: str, **changes: object) -> str:
    return list_query(Context({"request": RequestFactory().get(path)}), **changes)


def test_list_query_drops_empty_parameters_and_keeps_the_filters():
    assert _query("/t/?page=&q=&status=todo&priority=", page=2) == (
        "?page=2&status=todo"
    )


def test_list_query_drops_page_one_and_answers_nothing_when_nothing_is_left():
    assert _query("/t/?page=3&q=", page=1) == ""
    assert _query("/t/?status=done&page=3", page=None) == "?status=done"


def test_list_query_keeps_repeated_values_and_encodes_them():
    assert _query("/t/?tag=a&tag=b&q=x y", page=2) == "?tag=a&tag=b&q=x+y&page=2"


def _time(value: object, format_name: str = "DATE_FORMAT") -> str:
    """The filter as a template applies it: an aware moment in local time."""
    assert time_element.expects_localtime  # type: ignore[attr-defined]
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return time_element(value, format_name)


@override_settings(TIME_ZONE="Europe/Paris")
def test_time_element_is_to_the_second_with_the_local_offset():
    value = datetime(2030, 1, 31, 9, 5, 7, 123456, tzinfo=UTC)
    assert _time(value, "DATETIME_FORMAT") == (
        '<time datetime="2030-01-31T10:05:07+01:00">'
        f"{date_filter(timezone.localtime(value), 'DATETIME_FORMAT')}</time>"
    )


def test_time_element_holds_a_day_for_a_date_and_nothing_for_none():
    assert _time(date(2030, 1, 31)) == (
        '<time datetime="2030-01-31">Jan. 31, 2030</time>'
    )
    assert _time(None) == ""
    assert _time("2030-01-31") == ""


@override_settings(TIME_ZONE="America/New_York")
def test_time_element_shows_the_local_day():
    # 02:00 UTC is the evening before in New York.
    moment = datetime(2030, 1, 31, 2, 0, tzinfo=UTC)
    assert _time(moment) == (
        '<time datetime="2030-01-30T21:00:00-05:00">Jan. 30, 2030</time>'
    )


def test_time_element_follows_the_active_language():
    with translation.override("de"):
        assert _time(date(2030, 1, 31)).endswith(">31. Januar 2030</time>")
    assert _time(date(2030, 1, 31)).endswith(">Jan. 31, 2030</time>")
