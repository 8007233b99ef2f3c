"""The HTTP edge's one answer to "the selector found nothing".

Selectors return ``None`` for a row that does not exist *or* that the person
asking may not see; they know nothing about HTTP. Views, the admin and the API
turn that ``None`` into a 404 here, so a hidden object and a missing one look
the same from outside.
"""

from typing import TypeVar

from django.http import Http404

T = TypeVar("T")


def found_or_404(value: T | None, *, name: str) -> T:
    """``value``, or a 404 that says which kind of object was not found."""
    if value is None:
        raise Http404(f"No {name} matches the given query.")
    return value
