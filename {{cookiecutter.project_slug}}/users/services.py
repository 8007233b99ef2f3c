"""Write workflows for user accounts.

An e-mail address belongs to one account, whatever its case, and a username
to one account: the database enforces both. A check first gives the usual
message; an insert that loses a race to a concurrent sign-up gets the same
message from the constraint, never a server error.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.views.decorators.debug import sensitive_variables

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


@sensitive_variables("password")
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


@transaction.atomic
def update_profile(*, actor: User, user: User, first_name: str, last_name: str) -> User:
    """Change the name ``user`` shows to the other members."""
    user.first_name = first_name
    user.last_name = last_name
    user.save(update_fields=["first_name", "last_name"])
    logger.info("%s changed the name of the account %s", actor, user)
    return user


@transaction.atomic
def change_email(*, actor: User, user: User, email: str) -> User:
    """Move ``user`` to a new e-mail address, one no other account uses."""
    email = User.objects.normalize_email(email).lower()
    if is_email_taken(email=email, exclude_user_id=user.pk):
        raise _email_taken(email)
    user.email = email
    _save_account(user)
    logger.info("%s changed the e-mail address of the account %s", actor, user)
    return user


@transaction.atomic
def delete_account(*, actor: User, user: User) -> None:
    """Delete ``user``'s account, unless an organization would lose its last admin.

    ``Membership.user`` refuses that deletion before anything is written;
    this turns its refusal into a message naming the organizations.
    """
    username = str(user)
    try:
        user.delete()
    except ProtectedError as error:
        # The protected rows are orgs memberships; users does not import orgs.
        organizations = sorted(
            {
                str(membership.organization)  # type: ignore[attr-defined]
                for membership in error.protected_objects
            }
        )
        raise ConflictError(
            f"You are the last admin of {', '.join(organizations)}. Make another "
            "member an admin first, or delete the organization; your account "
            "was not deleted."
        ) from None
    logger.info("%s deleted the account %s", actor, username)
