"""Security events on the ``security`` logger: who, from where, in which request.

Each event is one line: production writes it as one JSON object
(``core.logging_json.JsonFormatter``), development as plain text whose line
breaks are escaped (``core.logging_json.PlainFormatter``), so text a user
chose, a task title or a username, cannot start a line of its own. Every
line carries the event's name, the user's id and username, the client's
address as ``core.client_ip`` reads it behind the trusted proxies, and the
id of the request it happened in (both kept by
``core.middleware.RequestLogMiddleware`` for the request being served).

Log-in, failed log-in, log-out and password changes are logged here from
Django's own signals (connected in ``core.apps``); the apps log the rest
(role changes, invitations, exports) where they happen.
"""

import logging
from typing import Any

from django.http import HttpRequest

from core.client_ip import client_ip_address
from core.logging_json import current_client_ip, current_request_id

logger = logging.getLogger("security")

# A username tried at the log-in form is text anyone can send: cut it.
TRIED_USERNAME_MAX_LENGTH = 150


def log_security_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    level: int = logging.INFO,
    **details: Any,
) -> None:
    """Logs ``event`` (``login``, ``login_failed``, ``csv_export``...) for ``user``.

    ``user`` defaults to the request's signed-in user; ``details`` are more
    fields of the line (an organization's id, a role), never a secret.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    fields: dict[str, Any] = {
        "event": event,
        "user_id": user.pk if signed_in else None,
        "username": user.get_username() if signed_in else None,
        "client_ip": (
            client_ip_address(request)
            if request is not None
            else current_client_ip.get()
        ),
        "request_id": current_request_id.get(),
        **details,
    }
    text = " ".join(f"{name}={value}" for name, value in fields.items())
    logger.log(level, "security %s", text, extra=fields)


def on_logged_in(*, request: HttpRequest | None, user: Any, **_: Any) -> None:
    log_security_event("login", request=request, user=user)


def on_logged_out(*, request: HttpRequest | None, user: Any, **_: Any) -> None:
    log_security_event("logout", request=request, user=user)


def on_login_failed(
    *, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    """A failed log-in names the username tried (Django masks the password)."""
    tried = str(credentials.get("username", ""))[:TRIED_USERNAME_MAX_LENGTH]
    log_security_event(
        "login_failed",
        request=request,
        user=None,
        level=logging.WARNING,
        username_tried=tried,
    )


def on_user_saved(*, instance: Any, created: bool, **_: Any) -> None:
    """A saved user whose password was just set: a change or a reset."""
    if not created and getattr(instance, "_password", None) is not None:
        log_security_event("password_changed", user=instance)
