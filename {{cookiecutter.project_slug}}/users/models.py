"""The project's user model, custom from the first migration so it can grow."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who signs in; organization roles live on ``orgs.Membership``."""

    class Meta(AbstractUser.Meta):
        constraints = [
            # One account per address, whatever its case; accounts made by
            # `createsuperuser` may have none.
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="users_one_account_per_email",
                violation_error_message="An account already uses this e-mail address.",
            ),
        ]

    def __str__(self) -> str:
        return self.username
