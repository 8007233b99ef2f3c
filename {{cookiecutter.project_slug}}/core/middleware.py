"""One log line per request: its id, the user and their address, what was
asked, the answer, the time.

The id is the caller's ``X-Request-ID`` when it is a plain token (a proxy's
or a load balancer's), else a new one; the response carries it back, and
every line logged during the request is tagged with it. The user is logged
only when something during the request looked them up: the log line itself
never reads a session, so the probes stay sessionless.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

from core.client_ip import client_ip_address
from core.logging_json import current_client_ip, current_request_id

logger = logging.getLogger("core.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only when it cannot break or forge a log line.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}")
SECRET_PATH_ARGUMENTS = ("token",)


def request_id_of(request: HttpRequest) -> str:
    """The caller's valid ``X-Request-ID``, or a new random one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def loaded_user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id if the request already looked them up, else None."""
    user = vars(request).get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def loggable_path(request: HttpRequest) -> str:
    """The request's path with secret path arguments (``<token>``: an
    invitation's, a password reset's) masked: logs are kept longer and read
    more widely than a link is valid."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name in SECRET_PATH_ARGUMENTS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), "[secret]")
    return path


class RequestLogMiddleware:
    """Logs each request once it is answered, on the ``core.requests`` logger.

    First in MIDDLEWARE, so the duration covers every other middleware and a
    redirect or refusal by one of them is logged too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_of(request)
        token = current_request_id.set(request_id)
        client_ip = client_ip_address(request)
        client_ip_token = current_client_ip.set(client_ip)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            user_id = loaded_user_id(request)
            path = loggable_path(request)
            logger.info(
                "%s %s %s %.1fms user=%s",
                request.method,
                path,
                response.status_code,
                duration_ms,
                user_id,
                extra={
                    "request_id": request_id,
                    "user_id": user_id,
                    "client_ip": client_ip,
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            current_request_id.reset(token)
            current_client_ip.reset(client_ip_token)
