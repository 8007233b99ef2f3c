"""Write workflows for user accounts."""

from django.db import transaction

from users.models import User
from users.selectors import is_email_taken


class EmailTakenError(Exception):
    """Another account already uses this e-mail address."""


@transaction.atomic
def register_user(
    *, username: str, email: str, password: str, is_superuser: bool = False
) -> User:
    """Create an account; an e-mail address belongs to one account only."""
    if is_email_taken(email=email):
        raise EmailTakenError(f"An account already uses the e-mail address {email}.")
    if is_superuser:
        return User.objects.create_superuser(
            username=username, email=email, password=password
        )
    return User.objects.create_user(username=username, email=email, password=password)
