"""Security events on the ``security`` logger: who, from where, in which request.

Each event is one line: production writes it as one JSON object
(``core.logging_json.JsonFormatter``), development as plain text whose line
breaks are escaped (``core.logging_json.PlainFormatter``), so text a user
chose, a task title or a username, cannot start a line of its own. Every
line carries the event's name, the user's id and username, the client's
address as ``core.client_ip`` reads it behind the trusted proxies, and the
id of the request it happened in.
"""

import logging
from typing import Any

from django.http import HttpRequest

from core.client_ip import client_ip_address
from core.logging_json import current_request_id

logger = logging.getLogger("security")


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
        "client_ip": client_ip_address(request) if request is not None else None,
        "request_id": current_request_id.get(),
        **details,
    }
    text = " ".join(f"{name}={value}" for name, value in fields.items())
    logger.log(level, "security %s", text, extra=fields)
