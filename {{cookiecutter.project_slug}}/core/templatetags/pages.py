"""Template helpers every page shares: links within a list, machine-readable times.

The ``pages`` library: the ``list_query`` tag links to another page of the
same list (filters kept, empty ones dropped), and the ``time_element`` filter
writes a date or a moment as a ``<time>`` element.
"""

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def list_query(context: template.Context, **changes: Any) -> str:
    """The request's query string with ``changes``, without empty parameters.

    A change to ``None`` or ``""`` removes the parameter, and page 1 is the
    list itself, so ``?page=&q=&status=todo`` becomes ``?status=todo``. The
    answer starts with ``?``, or is empty when nothing is left: put the
    request's path before it.
    """
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query.setlist(name, [] if value is None else [str(value)])
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        values = [value for value in values if value != ""]
        if name == "page" and values == ["1"]:
            continue
        if values:
            kept.setlist(name, values)
    encoded = kept.urlencode()
    return f"?{encoded}" if encoded else ""


@register.filter(expects_localtime=True)
def time_element(value: object, format_name: str = "DATE_FORMAT") -> str:
    """A ``<time>`` element: the value as ``|date:format_name`` writes it.

    Its ``datetime`` attribute is to the second, with the offset (validators
    refuse the microseconds that ``|date:"c"`` writes), or a day. A list
    shows a day on every row and most rows share a few: each day is
    formatted once per language, not once per row. Not a date: nothing.
    """
    if isinstance(value, datetime):
        machine = value.isoformat(timespec="seconds")
    elif isinstance(value, date):
        machine = value.isoformat()
    else:
        return ""
    if format_name == "DATE_FORMAT":
        day = value.date() if isinstance(value, datetime) else value
        shown = _formatted_day(day, get_language())
    else:
        shown = formats.date_format(value, format_name)
    return format_html('<time datetime="{}">{}</time>', machine, shown)


@lru_cache(maxsize=4096)
def _formatted_day(value: date, language: str | None) -> str:
    return formats.date_format(value, "DATE_FORMAT")
