"""Sessions that end: after a while without a request, and hours after log-in.

A signed-in session ends ``SESSION_IDLE_TIMEOUT_MINUTES`` after its last
request, and ``SESSION_MAX_AGE_HOURS`` after its log-in whatever happens.
Each request renews the session's expiry (at most once a minute, to spare
the database a write per request) to the nearer of the two, so Django
itself refuses a session past it and ``clearsessions`` (the periodic
``core.jobs.purge_expired_sessions``) deletes it; the middleware ends it
explicitly too (the absolute lifetime is its alone), logging whom it
signed out.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject

from core.security_log import log_security_event

LOGGED_IN_AT = "_logged_in_at"
LAST_SEEN = "_last_seen"
# Seconds between two renewals of a session's expiry.
RENEW_EVERY = 60


def start_session_clock(*, request: HttpRequest | None, **_: Any) -> None:
    """Receives ``user_logged_in``: the absolute lifetime counts from now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGGED_IN_AT] = now
        request.session[LAST_SEEN] = now
        request.session.set_expiry(_seconds_left(started=now, now=now))


def _seconds_left(*, started: float, now: float) -> int:
    idle = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    absolute = started + settings.SESSION_MAX_AGE_HOURS * 3600 - now
    return max(0, int(min(idle, absolute)))


class SessionTimeoutMiddleware:
    """Ends a signed-in session idle or old past its limits.

    Right after AuthenticationMiddleware: the check runs when something first
    asks for ``request.user``, so a request that never does (a probe) reads
    no session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        request.user = SimpleLazyObject(  # type: ignore[assignment]
            lambda: self._checked(request, user)
        )
        return self.get_response(request)

    def _checked(self, request: HttpRequest, user: Any) -> Any:
        session = request.session
        if SESSION_KEY not in session:
            return user
        now = time.time()
        started = session.setdefault(LOGGED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        too_old = now - started > settings.SESSION_MAX_AGE_HOURS * 3600
        if idle or too_old:
            log_security_event(
                "session_expired",
                request=request,
                user=user,
                reason="idle" if idle else "max_age",
            )
            session.flush()
            return AnonymousUser()
        if now - last_seen >= RENEW_EVERY:
            session[LAST_SEEN] = now
            session.set_expiry(_seconds_left(started=started, now=now))
        return user
