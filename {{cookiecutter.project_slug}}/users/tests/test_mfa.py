"""Two-step verification: turning it on, signing in with a code or a recovery
code, turning it off, and the admin site closed to staff without it."""

import re

import pytest
from django.contrib.auth.signals import user_logged_in
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects

from users.models import User
from users.tests.factories import DEFAULT_PASSWORD, UserFactory, log_in_verified
from users.views_mfa import PENDING_SESSION_KEY

pytestmark = pytest.mark.django_db


def code_of(device: TOTPDevice) -> str:
    """The code the authenticator app shows now for ``device``'s key."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def h1_of(response) -> list[str]:
    return re.findall(r"<h1>(.*?)</h1>", response.content.decode())


def log_in(client: Client, user: User, next_url: str = ""):
    data = {"username": user.username, "password": DEFAULT_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def turn_on(client: Client, user: User) -> tuple[TOTPDevice, list[str]]:
    """Set up an app through the pages; the device and the recovery codes."""
    client.post(reverse("mfa_setup_start"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("mfa_setup"), {"code": code_of(device)})
    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode()
    )
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def user_with_app() -> tuple[User, TOTPDevice, list[str]]:
    user = UserFactory.create()
    client = Client()
    client.force_login(user)
    device, codes = turn_on(client, user)
    device.last_t = -1  # the code used to turn it on may come again
    device.save()
    return user, device, codes


def test_turning_it_on_shows_a_qr_code_and_a_key_then_ten_recovery_codes(client):
    user = UserFactory.create()
    client.force_login(user)

    started = client.post(reverse("mfa_setup_start"))
    assertRedirects(started, reverse("mfa_setup"))
    page = client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert h1_of(page) == ["Set up an authenticator app"]
    assertContains(page, '<svg role="img" aria-label="QR code of the key"')
    assertContains(page, '<label for="id_code">Code from the app</label>', html=False)
    assertContains(page, "secret-key")

    done = client.post(reverse("mfa_setup"), {"code": code_of(device)})

    device.refresh_from_db()
    assert device.confirmed
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert done.wsgi_request.user.is_verified()
    assert "Two-step verification is on." in [
        str(m) for m in get_messages(done.wsgi_request)
    ]


def test_a_wrong_first_code_is_refused_and_leaves_it_off(client):
    user = UserFactory.create()
    client.force_login(user)
    client.post(reverse("mfa_setup_start"))
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_setup"), {"code": wrong})

    assert response.status_code == 200
    assertContains(response, "This code does not match the key")
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not response.wsgi_request.user.is_verified()


def test_after_the_password_a_code_is_asked_before_any_page(client, user_with_app):
    user, device, _ = user_with_app

    response = log_in(client, user, next_url=reverse("orgs:list"))

    assert client.session[PENDING_SESSION_KEY]
    blocked = client.get(reverse("profile"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("mfa_verify"))
    page = client.get(response["Location"], follow=True)
    assert h1_of(page) == ["Type your code"]

    verified = client.post(
        reverse("mfa_verify"), {"code": code_of(device), "next": reverse("orgs:list")}
    )

    assertRedirects(verified, reverse("orgs:list"))
    assert PENDING_SESSION_KEY not in client.session
    assert client.get(reverse("profile")).status_code == 200


def test_a_wrong_code_is_refused_and_the_session_still_owes_one(client, user_with_app):
    user, device, _ = user_with_app
    log_in(client, user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_verify"), {"code": wrong})

    assert response.status_code == 200
    assertContains(response, "This code is not valid")
    assert client.session[PENDING_SESSION_KEY]
    assert client.get(reverse("profile")).status_code == 302


def test_a_recovery_code_signs_in_once(user_with_app):
    user, _, codes = user_with_app
    first, second = Client(), Client()
    log_in(first, user)

    used = first.post(reverse("mfa_verify"), {"code": codes[0].upper()})

    assertRedirects(used, reverse("home"), fetch_redirect_response=False)
    assert StaticToken.objects.filter(device__user=user).count() == 9
    log_in(second, user)
    again = second.post(reverse("mfa_verify"), {"code": codes[0]})
    assert again.status_code == 200
    assert second.get(reverse("profile")).status_code == 302


def test_log_out_stays_open_to_a_session_that_owes_a_code(client, user_with_app):
    user, _, _ = user_with_app
    log_in(client, user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert not response.wsgi_request.user.is_authenticated


def test_turning_it_off_needs_a_code(client, user_with_app):
    user, device, _ = user_with_app
    log_in_verified(client, user)

    refused = client.post(reverse("mfa_disable"), {"code": "000000x"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=user, pk=device.pk).exists()

    device.throttle_reset()
    done = client.post(reverse("mfa_disable"), {"code": code_of(device)})

    assertRedirects(done, reverse("mfa"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()


def test_new_recovery_codes_replace_the_old_ones(client, user_with_app):
    user, _, old = user_with_app
    log_in_verified(client, user)

    response = client.post(reverse("mfa_recovery_codes"))

    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10
    stored = set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert stored == set(new)
    assert not stored & set(old)


def test_the_profile_says_whether_it_is_on(client, user_with_app):
    user, _, _ = user_with_app
    log_in_verified(client, user)
    assertContains(client.get(reverse("profile")), "Manage two-step verification")
    client.force_login(UserFactory.create())
    assertContains(client.get(reverse("profile")), "Turn on two-step verification")


@pytest.mark.parametrize("superuser", [False, True])
def test_staff_without_a_second_factor_cannot_reach_the_admin(client, superuser):
    user = UserFactory.create(is_staff=True, is_superuser=superuser)
    client.force_login(user)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("mfa_verify"))
    assert response.redirect_chain[-1][0] == reverse("mfa")
    assert h1_of(response) == ["Two-step verification"]
    assert client.get(reverse("admin:users_user_changelist")).status_code == 302


def test_staff_who_gave_a_code_reach_the_admin(client):
    log_in_verified(client, UserFactory.create(is_staff=True, is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_log_in_at_the_admin_then_give_their_code(client):
    user = UserFactory.create(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(
        reverse("admin:login"),
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )

    asked = client.get(reverse("admin:index"))
    assert asked["Location"].startswith(reverse("mfa_verify"))
    client.post(reverse("mfa_verify"), {"code": code_of(device), "next": "/admin/"})

    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_lists_devices_without_their_keys(admin_client):
    device = TOTPDevice.objects.get()
    response = admin_client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    )

    assert response.status_code == 200
    assert device.key not in response.content.decode()
    add = admin_client.get(reverse("admin:otp_totp_totpdevice_add"))
    assert add.status_code == 403


@pytest.mark.parametrize("name", ["mfa", "mfa_setup", "mfa_disable", "mfa_verify"])
def test_the_pages_need_a_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_that_gave_a_code_owes_none_when_signalled_again(client):
    """user_logged_in may come again for a signed-in session (an API token)."""
    user = UserFactory.create()
    log_in_verified(client, user)
    request = client.get(reverse("profile")).wsgi_request

    user_logged_in.send(sender=User, request=request, user=request.user)

    assert PENDING_SESSION_KEY not in request.session
