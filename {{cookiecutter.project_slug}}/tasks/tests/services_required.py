"""Skip a test that needs PostgreSQL, or fail it where CI requires services.

``REQUIRE_SERVICES=1`` (set by CI) turns the skip into a failure, so a green
CI run proves that the PostgreSQL-only tests really ran.
"""

import os

import pytest
from django.db import connection


def require_postgresql(reason: str) -> None:
    """Return if the test database is PostgreSQL; otherwise skip or fail."""
    if connection.vendor == "postgresql":
        return
    message = f"Needs PostgreSQL ({reason}); the database is {connection.vendor}."
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1: {message}")
    pytest.skip(message)
