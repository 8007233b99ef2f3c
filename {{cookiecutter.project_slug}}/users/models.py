"""The project's user model, custom from the first migration so it can grow."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A person who signs in; organisation roles live on ``orgs.Membership``."""

    def __str__(self) -> str:
        return self.username
