"""Writes about a user's second factor: an authenticator app (TOTP) and
recovery codes, stored by django-otp.

Each function acts on the ``actor``'s own account. A code that does not match
is a normal answer, not an error: the functions that check one return None
(or False) and change nothing but django-otp's own count of failures, which
makes each further try wait longer.
"""

import logging

from django.db import transaction
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.security_log import log_security_event
from users.models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def start_totp_setup(*, actor: User) -> TOTPDevice:
    """A new authenticator key for ``actor``, unconfirmed until a code proves it.

    A setup left unfinished before is replaced; a confirmed device stays in
    use until the new one is confirmed.
    """
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_totp_setup(
    *, actor: User, device: TOTPDevice, code: str
) -> list[str] | None:
    """Turn the second factor on once ``code`` comes from ``device``'s key.

    Returns the new recovery codes (shown once), or None when the code is
    wrong and nothing changed.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if not device.verify_token(code):
        return None
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log_security_event("second_factor_enabled", user=actor)
    return _new_recovery_codes(actor=actor)


@transaction.atomic
def verify_second_factor(*, actor: User, code: str) -> Device | None:
    """The device that accepts ``code`` (the app's, or an unused recovery code,
    which is spent), or None."""
    device: Device | None = match_token(actor, code.strip().replace(" ", "").lower())
    if device is None:
        log_security_event("second_factor_failed", user=actor, level=logging.WARNING)
    return device


@transaction.atomic
def replace_recovery_codes(*, actor: User) -> list[str]:
    """New recovery codes for ``actor``; the old ones stop working."""
    log_security_event("recovery_codes_replaced", user=actor)
    return _new_recovery_codes(actor=actor)


@transaction.atomic
def disable_second_factor(*, actor: User, code: str) -> bool:
    """Turn the second factor off, if ``code`` is a valid code of ``actor``'s."""
    if verify_second_factor(actor=actor, code=code) is None:
        return False
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    log_security_event("second_factor_disabled", user=actor)
    return True


def _new_recovery_codes(*, actor: User) -> list[str]:
    StaticDevice.objects.filter(user=actor).delete()
    device = StaticDevice.objects.create(
        user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True
    )
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in codes
    )
    return codes
