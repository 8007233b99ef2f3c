"""The probes a load balancer or an orchestrator calls, every second or so.

No login, no template, no session: neither reads the session nor sets a
cookie, and production exempts both from the HTTPS redirect
(``SECURE_REDIRECT_EXEMPT``), since probes talk plain HTTP to the process.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.health import list_unreachable_services


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answers; nothing else is touched (no database)."""
    return JsonResponse({"status": "alive"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the job broker answer; else 503 naming those down."""
    down = list_unreachable_services()
    if down:
        response = JsonResponse({"status": "unavailable", "down": down}, status=503)
        # The checks logged what is down. Django would log each 503 again as an
        # error, and mail it to the admins, every time the probe asks.
        response._has_been_logged = True  # type: ignore[attr-defined]
        return response
    return JsonResponse({"status": "ready", "down": []})
