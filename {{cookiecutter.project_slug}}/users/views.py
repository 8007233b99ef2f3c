"""The account pages: sign-up, the profile, a new e-mail address, deleting
the account. Log-in, log-out and the password pages are Django's own views
(``users/urls.py``), with the project's templates and reset form."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.exceptions import DomainError
from core.forms import add_domain_error
from core.rate_limits import limit_posts
from users.forms import AccountDeleteForm, EmailChangeForm, ProfileForm, SignUpForm
from users.selectors_mfa import has_second_factor
from users.services import change_email, delete_account, register_user, update_profile
from users.types import AuthenticatedHttpRequest


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
@limit_posts("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = register_user(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            login(request, user, backend="core.auth_backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}. You are signed in.")
            return redirect(_safe_next(request) or "home")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request) or ""},
    )


def _safe_next(request: HttpRequest) -> str | None:
    """The ``next`` URL to return to after sign-up, if it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"first_name": user.first_name, "last_name": user.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(
                actor=user,
                user=user,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your name is saved.")
            return redirect("profile")
    return render(
        request,
        "users/profile.html",
        {"form": form, "second_factor": has_second_factor(user=user)},
    )


@sensitive_post_parameters("current_password")
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = change_email(
                actor=request.user, user=request.user, email=form.cleaned_data["email"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Your e-mail address is now {user.email}.")
            return redirect("profile")
    return render(request, "users/email_change.html", {"form": form})


@sensitive_post_parameters("current_password")
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(actor=request.user, user=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)
            # A page of its own, not a message: the log-out's Clear-Site-Data
            # drops the message cookie set in the same response.
            return redirect("account_deleted")
    return render(request, "users/account_delete.html", {"form": form})
