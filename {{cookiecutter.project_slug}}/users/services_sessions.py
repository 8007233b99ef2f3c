"""Log out everywhere: end a user's sessions on every other browser.

Sessions are kept in the database (through the cache in production), keyed
by a random id, not by user: each live one is read to find whose it is. The
store's own ``delete`` removes it from the cache as well.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.security_log import log_security_event
from users.models import User


def end_other_sessions(*, actor: User, keep_session_key: str | None) -> int:
    """Ends ``actor``'s sessions but ``keep_session_key``; how many ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now()).exclude(
        session_key=keep_session_key or ""
    )
    for session in live.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(actor.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    log_security_event("other_sessions_ended", user=actor, sessions=ended)
    return ended
