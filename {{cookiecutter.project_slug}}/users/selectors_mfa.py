"""Reads about a user's second factor (django-otp's devices).

An authenticator app is a ``TOTPDevice``, the recovery codes are the tokens
of one ``StaticDevice``. Only a confirmed device counts: a setup left half
done never asks anyone for a code.
"""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.models import User


def has_second_factor(*, user: User) -> bool:
    """Whether ``user`` must give a code after their password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def get_unconfirmed_totp_device(*, user: User) -> TOTPDevice | None:
    """The authenticator key being set up, not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def count_recovery_codes(*, user: User) -> int:
    """How many unused recovery codes ``user`` has left."""
    return StaticToken.objects.filter(
        device__in=StaticDevice.objects.filter(user=user, confirmed=True)
    ).count()
