"""Log lines as one JSON object each, tagged with the request they belong to.

Production's LOGGING formats every line with ``JsonFormatter`` (web
processes and workers alike), so a log collector reads fields, not prose;
development keeps plain text. ``RequestIdFilter`` adds the id of the request
being served, set by ``core.middleware.RequestLogMiddleware``, to every line
logged while it runs.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request this thread is serving; None outside a request.
current_request_id: ContextVar[str | None] = ContextVar(
    "current_request_id", default=None
)
# The address of the client this thread is serving (core.client_ip).
current_client_ip: ContextVar[str | None] = ContextVar(
    "current_client_ip", default=None
)

# What every LogRecord has; anything else on a record came as ``extra=``.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
}


class RequestIdFilter(logging.Filter):
    """Tags a line logged while a request is served with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class JsonFormatter(logging.Formatter):
    """One line of JSON: time, level, logger, message, and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {
            name: value
            for name, value in vars(record).items()
            if name not in _RECORD_ATTRIBUTES
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class PlainFormatter(logging.Formatter):
    """Plain text whose line breaks are escaped: one record, one line.

    A message that carries text a user chose (a path, a title) cannot forge
    a second line; a traceback stays readable below its line.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        return line.replace("\r", "\\r").replace("\n", "\\n")
