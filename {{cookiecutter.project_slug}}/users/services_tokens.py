"""Personal access tokens for scripts: created on the tokens page, shown once.

knox stores the token's SHA-512 digest and its expiry (``REST_KNOX``), never
the token itself: the token exists in the clear only in the answer to the
request that created it.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from knox.models import AuthToken
from knox.settings import knox_settings

from core.exceptions import ConflictError, DomainError
from users.models import User
from users.selectors_tokens import count_live_tokens

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CreatedToken:
    token: AuthToken
    secret: str  # the token itself: show it once, then forget it


@transaction.atomic
def create_token(*, actor: User) -> CreatedToken:
    """A new token for ``actor``, up to ``TOKEN_LIMIT_PER_USER`` live ones."""
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one at a time
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and count_live_tokens(user=actor) >= limit:
        raise ConflictError(
            f"You have {limit} live tokens, the most allowed: revoke one first."
        )
    token, secret = AuthToken.objects.create(
        user=actor, expiry=knox_settings.TOKEN_TTL, prefix=knox_settings.TOKEN_PREFIX
    )
    logger.info("%s created a personal access token", actor)
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, actor: User, token: AuthToken) -> None:
    """Delete one of ``actor``'s tokens: it stops authenticating at once."""
    if token.user_id != actor.pk:
        raise DomainError("This token is not yours to revoke.")
    token.delete()
    logger.info("%s revoked a personal access token", actor)


@transaction.atomic
def revoke_all_tokens(*, actor: User) -> int:
    """Delete every token of ``actor``; how many there were."""
    deleted, _ = AuthToken.objects.filter(user=actor).delete()
    logger.info("%s revoked all %d personal access tokens", actor, deleted)
    return deleted
