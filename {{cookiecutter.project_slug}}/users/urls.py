"""The account pages: Django's own auth views, with the project's templates
and password-reset form, and the project's own account views."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from core.rate_limits import limit_posts
from users import views, views_mfa, views_sessions
from users.forms import AccountPasswordResetForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("email/", views.email_change, name="email_change"),
    path("delete/", views.account_delete, name="account_delete"),
    path(
        "deleted/",
        TemplateView.as_view(template_name="users/account_deleted.html"),
        name="account_deleted",
    ),
    path(
        "sessions/end-others/",
        views_sessions.sessions_end_others,
        name="sessions_end_others",
    ),
    # Two-step verification (users/views_mfa.py): an authenticator app and
    # recovery codes, asked for after the password.
    path("2fa/", views_mfa.mfa_overview, name="mfa"),
    path("2fa/start/", views_mfa.mfa_setup_start, name="mfa_setup_start"),
    path("2fa/setup/", views_mfa.mfa_setup, name="mfa_setup"),
    path(
        "2fa/recovery-codes/", views_mfa.mfa_recovery_codes, name="mfa_recovery_codes"
    ),
    path("2fa/disable/", views_mfa.mfa_disable, name="mfa_disable"),
    path("2fa/verify/", views_mfa.mfa_verify, name="mfa_verify"),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        limit_posts("password_reset", keys=("ip", "post:email"))(
            auth_views.PasswordResetView.as_view(form_class=AccountPasswordResetForm)
        ),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
