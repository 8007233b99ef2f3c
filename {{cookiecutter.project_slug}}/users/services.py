"""Write workflows for user accounts.

An e-mail address belongs to one account, whatever its case, and a username
to one account: the database enforces both. A check first gives the usual
message; an insert that loses a race to a concurrent sign-up gets the same
message from the constraint, never a server error.
"""

import logging

from django.db import IntegrityError, transaction

from core.exceptions import ConflictError
from users.models import User
from users.selectors import get_user, is_email_taken

logger = logging.getLogger(__name__)


def _email_taken(email: str) -> ConflictError:
    return ConflictError(
        f"An account already uses the e-mail address {email}.", field="email"
    )


def _save_account(user: User) -> None:
    """Save ``user``; a taken e-mail address or username is a ``ConflictError``."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        if user.email and is_email_taken(email=user.email, exclude_user_id=user.pk):
            raise _email_taken(user.email) from None
        taken = get_user(username=user.get_username())
        if taken is not None and taken.pk != user.pk:
            raise ConflictError(
                "A user with that username already exists.", field="username"
            ) from None
        raise


@transaction.atomic
def register_user(
    *, username: str, email: str, password: str, is_superuser: bool = False
) -> User:
    """Create an account; an e-mail address belongs to one account only."""
    if is_email_taken(email=email):
        raise _email_taken(email)
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.set_password(password)
    _save_account(user)
    return user


@transaction.atomic
def save_user(*, actor: User, user: User) -> User:
    """Save an account edited on the admin site, under the same uniqueness rules."""
    _save_account(user)
    logger.info("%s saved the account %s", actor, user)
    return user
