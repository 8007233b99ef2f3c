"""What the demo-data command checks before it writes: the settings it runs
under, and passwords that nobody has published.

The demo creates a superuser; it refuses to, unless the settings say
``DEMO_DATA_ALLOWED = True`` (development's and the tests' do) or the command
is told ``--allow-production``.
"""

import secrets

from django.conf import settings
from django.core.management.base import CommandError


def refuse_unless_demo_settings(*, allow_production: bool) -> None:
    """Stop with a message naming the settings and the way to go on anyway."""
    if getattr(settings, "DEMO_DATA_ALLOWED", False) or allow_production:
        return
    module = settings.SETTINGS_MODULE or "these settings"
    raise CommandError(
        f"seed_demo refuses to run with {module}: it creates a superuser and "
        "demo accounts, and only development's and the tests' settings allow "
        "it (DEMO_DATA_ALLOWED). Add --allow-production to run it here anyway."
    )


def new_demo_password() -> str:
    """A random password for one demo account, printed once by the command."""
    return secrets.token_urlsafe(15)
