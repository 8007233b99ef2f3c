"""Reads about a person's personal access tokens (knox keeps only digests)."""

from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.models import AuthToken

from users.models import User


def _live_tokens(user: User) -> QuerySet[AuthToken]:
    now = timezone.now()
    return AuthToken.objects.filter(user=user).filter(
        Q(expiry__gt=now) | Q(expiry__isnull=True)
    )


def list_live_tokens(*, user: User) -> QuerySet[AuthToken]:
    """``user``'s tokens that still authenticate, newest first."""
    return _live_tokens(user).order_by("-created", "digest")


def count_live_tokens(*, user: User) -> int:
    return _live_tokens(user).count()


def get_live_token(*, user: User, digest: str) -> AuthToken | None:
    """``user``'s live token with this digest; None for anyone else's."""
    return _live_tokens(user).filter(digest=digest).first()
