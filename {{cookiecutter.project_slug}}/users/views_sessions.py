"""Log out everywhere: the profile page's button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from users.services_sessions import end_other_sessions
from users.types import AuthenticatedHttpRequest


@login_required
@require_POST
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signs the user out on every other browser; this one stays signed in."""
    ended = end_other_sessions(
        actor=request.user, keep_session_key=request.session.session_key
    )
    messages.success(
        request,
        f"Signed out on every other browser ({ended} session"
        f"{'' if ended == 1 else 's'} ended).",
    )
    return redirect("profile")
