"""Template helpers every page shares: links within a list, machine-readable times.

The ``pages`` library: the ``list_query`` tag links to another page of the
same list (filters kept, empty ones dropped), the ``datetime_attr`` filter
writes the ``datetime`` attribute of a ``<time>`` element, and the ``day``
filter the day a list shows.
"""

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import formats, timezone
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


@register.filter
def datetime_attr(value: object) -> str:
    """A ``<time datetime>`` value: to the second, with the offset, or a day.

    Validators refuse the microseconds that ``|date:"c"`` writes.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.filter(expects_localtime=True)
def day(value: object) -> str:
    """The day as Django's ``date`` filter writes it with ``DATE_FORMAT``.

    A list shows it on every row and most rows share a few days: each day
    is formatted once per language, not once per row.
    """
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return ""
    return _formatted_day(value, get_language())


@lru_cache(maxsize=4096)
def _formatted_day(value: date, language: str | None) -> str:
    return formats.date_format(value, "DATE_FORMAT")
