"""Reads about users."""

from users.models import User


def email_is_taken(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def get_user_by_username(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()
