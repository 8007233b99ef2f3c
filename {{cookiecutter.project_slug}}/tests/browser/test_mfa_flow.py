"""Two-step verification as a person goes through it in a browser: turn it
on from the profile, log out, log in again with a code. Each page is checked
like the other flows' (``Site.check`` in conftest.py)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import Site
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def test_turn_on_two_step_verification_then_log_in_with_a_code(site: Site) -> None:
    user = UserFactory.create()
    page = site.page
    site.log_in(user.username, DEFAULT_PASSWORD)
    site.account_menu("Profile")
    site.follow(page.get_by_role("link", name="Turn on two-step verification"))
    site.follow(page.get_by_role("button", name="Set up an authenticator app"))
    expect(page.get_by_role("img", name="QR code of the key")).to_be_visible()
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Code from the app").fill(code_of(device))
    site.follow(page.get_by_role("button", name="Turn on two-step verification"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(
        page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    site.log_out()

    site.log_in(user.username, DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Type your code")
    device.refresh_from_db()
    device.last_t = -1  # the code that turned it on may still be the current one
    device.save()
    page.get_by_label("Code").fill(code_of(device))
    site.follow(page.get_by_role("button", name="Verify"))

    expect(page.get_by_role("banner")).to_contain_text(user.username)
    site.account_menu("Profile")
    expect(page.get_by_role("main")).to_contain_text("Manage two-step verification")
