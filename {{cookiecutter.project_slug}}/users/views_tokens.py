"""The tokens page: personal access tokens for scripts that call the REST API.

A new token is shown once, in the answer to the request that created it: it
is never put in the session or a message, and that answer is never cached.
The list shows what knox keeps of each live token (its dates), never the
token.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError
from core.http import found_or_404
from users.selectors_tokens import get_live_token, list_live_tokens
from users.services_tokens import (
    CreatedToken,
    create_token,
    revoke_all_tokens,
    revoke_token,
)
from users.types import AuthenticatedHttpRequest


@sensitive_variables("created")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The live tokens; a POST creates one and shows it this once."""
    created: CreatedToken | None = None
    if request.method == "POST":
        try:
            created = create_token(actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("tokens")
    return render(
        request,
        "users/tokens.html",
        {"tokens": list_live_tokens(user=request.user), "created": created},
        status=201 if created else 200,
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, digest: str) -> HttpResponse:
    token = found_or_404(get_live_token(user=request.user, digest=digest), name="token")
    try:
        revoke_token(actor=request.user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Token revoked: scripts using it are refused now.")
    return redirect("tokens")


@login_required
@require_POST
def token_revoke_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = revoke_all_tokens(actor=request.user)
    messages.success(request, f"{count} token{'' if count == 1 else 's'} revoked.")
    return redirect("tokens")
