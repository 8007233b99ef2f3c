"""Second-factor changes and failed codes are security events."""

import pytest
from django_otp.oath import totp

from users.services_mfa import (
    confirm_totp_setup,
    disable_second_factor,
    replace_recovery_codes,
    start_totp_setup,
    verify_second_factor,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def code_of(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_turning_the_second_factor_on_and_off_is_logged(security_events):
    user = UserFactory.create(username="alice")
    device = start_totp_setup(actor=user)
    confirm_totp_setup(actor=user, device=device, code=code_of(device))
    replace_recovery_codes(actor=user)
    [recovery_code] = replace_recovery_codes(actor=user)[:1]
    disable_second_factor(actor=user, code=recovery_code)
    verify_second_factor(actor=user, code="000000x")

    assert [(vars(r)["event"], r.levelname) for r in security_events()] == [
        ("second_factor_enabled", "INFO"),
        ("recovery_codes_replaced", "INFO"),
        ("recovery_codes_replaced", "INFO"),
        ("second_factor_disabled", "INFO"),
        ("second_factor_failed", "WARNING"),
    ]
    assert {vars(r)["username"] for r in security_events()} == {"alice"}
