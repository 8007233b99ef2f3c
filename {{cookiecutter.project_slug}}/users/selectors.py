"""Reads about users."""

from users.models import User


def is_email_taken(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


def get_user(*, username: str) -> User | None:
    return User.objects.filter(username=username).first()
