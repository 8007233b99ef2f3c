"""What the log-in throttling records of an attempt, cut to fit its columns.

django-axes cuts the user agent and the path it stores, but not the username
a log-in tried: Django's log-in forms check no length before they
authenticate, so a longer name than the column would answer 500 on
PostgreSQL. No account has a name that long, so the cut merges nothing real.
"""

from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest

USERNAME_MAX_LENGTH = AccessAttempt._meta.get_field("username").max_length or 255


def attempted_username(
    request: HttpRequest, credentials: dict[str, Any] | None = None
) -> str | None:
    """The username of a log-in attempt, as axes would read it, cut to its column."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    return None if username is None else str(username)[:USERNAME_MAX_LENGTH]
