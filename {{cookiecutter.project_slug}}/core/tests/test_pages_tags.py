"""The shared template helpers: list links without empty parameters, valid times."""

from datetime import UTC, date, datetime

from django.template import Context
from django.template.defaultfilters import date as date_filter
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation

from core.templatetags.pages import datetime_attr, day, list_query


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


@override_settings(TIME_ZONE="Europe/Paris")
def test_datetime_attr_has_no_microseconds_and_the_local_offset():
    value = datetime(2030, 1, 31, 9, 5, 7, 123456, tzinfo=UTC)
    assert datetime_attr(value) == "2030-01-31T10:05:07+01:00"


def test_datetime_attr_writes_a_day_for_a_date_and_nothing_for_none():
    assert datetime_attr(date(2030, 1, 31)) == "2030-01-31"
    assert datetime_attr(None) == ""


@override_settings(TIME_ZONE="America/New_York")
def test_day_writes_what_the_date_filter_writes_in_local_time():
    # 02:00 UTC is the evening before in New York; templates pass local time.
    moment = timezone.localtime(datetime(2030, 1, 31, 2, 0, tzinfo=UTC))
    assert day.expects_localtime  # type: ignore[attr-defined]
    for value in (moment, date(2030, 1, 31)):
        assert day(value) == date_filter(value, "DATE_FORMAT")
    assert day(moment) == "Jan. 30, 2030"


def test_day_follows_the_active_language_and_writes_nothing_for_none():
    with translation.override("de"):
        assert day(date(2030, 1, 31)) == "31. Januar 2030"
    assert day(date(2030, 1, 31)) == "Jan. 31, 2030"
    assert day(None) == ""
