"""The second-factor pages, and the gate that asks for the code.

After a password log-in, a user with an authenticator app owes a code: the
``user_logged_in`` receiver marks the session, and ``SecondFactorMiddleware``
sends every page to ``mfa_verify`` until a code is given. Staff reach the
admin site only with a session verified by a code (django-otp's
``user.is_verified()``), whichever way they logged in.
"""

from base64 import b32encode
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from users.forms_mfa import AuthenticatorCodeForm, SecondFactorCodeForm
from users.models import User
from users.selectors_mfa import (
    count_recovery_codes,
    get_unconfirmed_totp_device,
    has_second_factor,
)
from users.services_mfa import (
    confirm_totp_setup,
    disable_second_factor,
    replace_recovery_codes,
    start_totp_setup,
    verify_second_factor,
)
from users.types import AuthenticatedHttpRequest
from users.views import _safe_next

# Set at a password log-in of a user with a second factor, removed by a code.
PENDING_SESSION_KEY = "users_second_factor_pending"
# Pages a session owing a code may open: the code page, log-out, the probes
# (which read no session at all).
OPEN_TO_ANY_SESSION = frozenset({"mfa_verify", "logout", "healthz", "readyz"})


def is_verified(user: Any) -> bool:
    """Whether this session's user gave a code (django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def ask_for_second_factor(
    sender: type, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver: a user with a second factor owes a code.

    A session that gave one already owes nothing: the signal may come again
    for a signed-in session (an API token asked for from the browser).
    """
    if request is None or is_verified(getattr(request, "user", None)):
        return
    if has_second_factor(user=user):
        request.session[PENDING_SESSION_KEY] = True


class SecondFactorMiddleware:
    """Sends a session that owes a code, or an unverified staff session at the
    admin site, to the code page; everything else passes.

    Only a request with a session cookie is looked at, so anonymous pages
    read no session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            or match is None
            or match.url_name in OPEN_TO_ANY_SESSION
        ):
            return None
        pending = bool(request.session.get(PENDING_SESSION_KEY))
        at_admin = match.app_name == "admin"
        if not (pending or at_admin):
            return None
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        if pending or user.is_staff:
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("mfa_verify")
            )
        return None


def _finish_verification(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@login_required
@require_GET
def mfa_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "users/mfa.html",
        {
            "enabled": has_second_factor(user=user),
            "recovery_codes_left": count_recovery_codes(user=user),
        },
    )


@login_required
@require_POST
def mfa_setup_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    start_totp_setup(actor=request.user)
    return redirect("mfa_setup")


def _qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` link as an inline SVG: no image request."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=4, svgclass="qr-code", lineclass=None)
    # An image to assistive technology, named like the key printed below it.
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code of the key" ', 1)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user text in it


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    device = get_unconfirmed_totp_device(user=user)
    if device is None:
        messages.info(request, "Start again: the setup was finished or replaced.")
        return redirect("mfa")
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_totp_setup(
            actor=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is None:
            form.add_error(
                "code",
                "This code does not match the key. Type the six digits the app "
                "shows now (check that the phone's clock is right); two-step "
                "verification is still off.",
            )
        else:
            _finish_verification(request, device)
            messages.success(request, "Two-step verification is on.")
            return render(request, "users/mfa_recovery_codes.html", {"codes": codes})
    return render(
        request,
        "users/mfa_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_svg(device),
            "key": device_key(device),
        },
    )


def device_key(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_POST
def mfa_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_second_factor(user=request.user):
        return redirect("mfa")
    codes = replace_recovery_codes(actor=request.user)
    messages.success(request, "New recovery codes: the old ones no longer work.")
    return render(request, "users/mfa_recovery_codes.html", {"codes": codes})


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def mfa_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_second_factor(user=request.user):
        return redirect("mfa")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if disable_second_factor(actor=request.user, code=form.cleaned_data["code"]):
            messages.success(request, "Two-step verification is off.")
            return redirect("mfa")
        form.add_error("code", _WRONG_CODE)
    return render(request, "users/mfa_disable.html", {"form": form})


_WRONG_CODE = (
    "This code is not valid: type the six digits your app shows now, or an "
    "unused recovery code. Nothing was changed."
)


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    target = _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)
    if is_verified(user):
        return redirect(target)
    if not has_second_factor(user=user):
        request.session.pop(PENDING_SESSION_KEY, None)
        messages.info(
            request,
            "The admin site asks for a code after the password: set up an "
            "authenticator app first.",
        )
        return redirect("mfa")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_second_factor(actor=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", _WRONG_CODE)
        else:
            _finish_verification(request, device)
            if isinstance(device, StaticDevice):
                left = count_recovery_codes(user=user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones from "
                    "your profile if you are running out.",
                )
            return redirect(target)
    return render(
        request,
        "users/mfa_verify.html",
        {"form": form, "next": _safe_next(request) or ""},
    )
