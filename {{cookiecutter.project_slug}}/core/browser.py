"""What the browser may keep of a signed-in user's pages, and what log-out wipes.

A page for a signed-in user (an organization, its tasks, a CSV export) is
``Cache-Control: private, no-store``: neither a shared cache nor the back
button of the next person at the same computer shows it again. Log-out
answers ``Clear-Site-Data``, so the browser drops this site's cache, cookies
and storage too, whichever view logged out (the site's or the admin's).
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def mark_logged_out(*, request: HttpRequest | None, **_: Any) -> None:
    """Receives ``user_logged_out``: this request's answer clears site data."""
    if request is not None:
        request.logged_out = True  # type: ignore[attr-defined]


class PrivatePagesMiddleware:
    """Adds the headers above; after AuthenticationMiddleware, which finds the user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Whoever brings a session cookie may be signed in. Deciding so reads
        # no session: a request that looks at no one (the load balancer's
        # probes, core/views.py) loads none.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if getattr(request, "logged_out", False):
            patch_cache_control(response, private=True, no_store=True)
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
