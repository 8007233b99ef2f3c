"""Reads that say whether this process can serve: the readiness probe's checks.

Each check answers True or False and never raises: a load balancer calls
``/readyz`` every second or so, so each is one round trip with a short
timeout, and a service that is down costs a refused or timed-out connection,
never a hung request.
"""

import logging
from collections.abc import Callable

from celery import current_app
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

# Seconds the broker may take to accept a connection before it counts as down.
BROKER_TIMEOUT = 2
# A key nobody writes: reading it is one round trip to the cache.
PROBE_KEY = "core.health.probe"


def is_database_reachable() -> bool:
    """Whether the default database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Readiness: the database is unreachable: %s", error)
        return False
    return True


def is_cache_reachable() -> bool:
    """Whether the default cache (Redis in production) answers a read."""
    try:
        cache.get(PROBE_KEY)
    except Exception as error:
        logger.warning("Readiness: the cache is unreachable: %s", error)
        return False
    return True


def is_broker_reachable() -> bool:
    """Whether the job queue's broker accepts a connection.

    Where jobs run in-process (``memory://``), the broker is always there.
    """
    try:
        with current_app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as broker:
            broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
    except Exception as error:
        logger.warning("Readiness: the job broker is unreachable: %s", error)
        return False
    return True


READINESS_CHECKS: dict[str, Callable[[], bool]] = {
    "database": is_database_reachable,
    "cache": is_cache_reachable,
    "broker": is_broker_reachable,
}


def list_unreachable_services() -> list[str]:
    """The names of the services this process needs and cannot reach, in check order."""
    return [name for name, check in READINESS_CHECKS.items() if not check()]
