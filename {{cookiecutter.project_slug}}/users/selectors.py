"""Reads about users."""

from users.models import User


def is_email_taken(*, email: str, exclude_user_id: int | None = None) -> bool:
    """Whether another account uses ``email``, whatever its case."""
    accounts = User.objects.filter(email__iexact=email)
    if exclude_user_id is not None:
        accounts = accounts.exclude(pk=exclude_user_id)
    return accounts.exists()


def get_user(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()


def get_active_user(*, user_id: int) -> User | None:
    """An account that may still sign in, or None (deleted or deactivated)."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def list_organization_names(*, user: User) -> list[str]:
    """The names of the organizations ``user`` is a member of.

    Read through the ``memberships`` that orgs' Membership points here with:
    users sits below orgs and imports nothing from it.
    """
    return list(user.memberships.values_list("organization__name", flat=True))
