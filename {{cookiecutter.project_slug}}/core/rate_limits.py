"""Abuse limits on the pages that send mail or create accounts or content.

Each limit in ``settings.ABUSE_LIMITS`` is ``"count/period"`` (period:
second, minute, hour or day, as the API's throttling rates are written):
that many POSTs per period by one client address, one user or one value of
a form field (the e-mail address a password reset is asked for). The counts
live in the shared cache, in fixed windows. Past a limit the view does not
run: the answer is the 429 page, saying what was limited and when to try
again, and a ``rate_limited`` security event is logged.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from core.client_ip import client_ip_address
from core.security_log import log_security_event

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD_NAMES = {1: "second", 60: "minute", 3600: "hour", 86400: "day"}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` as (5, 3600): how many, in how many seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def _identity(request: HttpRequest, key: str) -> str:
    if key == "ip":
        return f"ip:{client_ip_address(request)}"
    if key == "user":
        return f"user:{request.user.pk}"
    field = key.removeprefix("post:")
    return f"{field}:{request.POST.get(field, '').strip().lower()}"


def is_over_limit(*, scope: str, identity: str) -> bool:
    """Counts one more hit of ``identity`` for ``scope``; True past the limit."""
    allowed, seconds = parse_rate(settings.ABUSE_LIMITS[scope])
    window = int(time.time() // seconds)
    digest = hashlib.sha256(identity.encode()).hexdigest()
    key = f"limit:{scope}:{window}:{digest}"
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) > allowed
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=seconds)
        return False


View = Callable[..., HttpResponseBase]


def limit_posts(
    scope: str, *, keys: tuple[str, ...] = ("ip",)
) -> Callable[[View], View]:
    """Limits the view's POSTs to ``ABUSE_LIMITS[scope]`` for each of ``keys``:
    ``"ip"``, ``"user"`` (under ``login_required``) or ``"post:<field>"``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def limited(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if request.method == "POST":
                over = [
                    key
                    for key in keys
                    if is_over_limit(scope=scope, identity=_identity(request, key))
                ]
                if over:
                    return too_many(request, scope=scope)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def too_many(request: HttpRequest, *, scope: str) -> HttpResponse:
    """The 429 page: what was limited, and for how long."""
    allowed, seconds = parse_rate(settings.ABUSE_LIMITS[scope])
    log_security_event(
        "rate_limited", request=request, level=logging.WARNING, scope=scope
    )
    period = PERIOD_NAMES[seconds]
    message = (
        f"Too many requests: this can be done {allowed} times per {period}. "
        f"Please try again later: the count starts over every {period}."
    )
    return render(request, "429.html", {"message": message}, status=429)
