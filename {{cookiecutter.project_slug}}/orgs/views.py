"""HTTP boundary of the orgs app: read the request, call the layers, respond.

A non-member asking for an organization gets 404, as for an organization that
does not exist (``get_membership`` returns None for both); a member without
the right gets 403.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exceptions import DomainError
from core.forms import add_domain_error
from core.http import found_or_404
from core.rate_limits import limit_posts
from orgs import permissions, selectors
from orgs.forms import InviteForm, OrganizationForm, RoleForm
from orgs.jobs import invite_accept_url
from orgs.services import (
    change_member_role,
    create_organization,
    remove_member,
    rename_organization,
)
from orgs.services_invites import (
    accept_invite,
    invite_member,
    resend_invite,
    revoke_invite,
)
from orgs.types import MembershipRole
from users.types import AuthenticatedHttpRequest


@login_required
@require_GET
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = selectors.list_memberships(user=request.user)
    return render(request, "orgs/list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts("organization_create", keys=("user",))
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = create_organization(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Organization {result.organization} created.")
            return redirect("orgs:detail", org_slug=result.organization.slug)
    return render(request, "orgs/create.html", {"form": form})


@login_required
@require_GET
def organization_detail(
    request: AuthenticatedHttpRequest, org_slug: str
) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    organization = membership.organization
    can_manage = permissions.can_manage_members(membership=membership)
    context = {
        "organization": organization,
        "membership": membership,
        "members": selectors.list_members(organization=organization),
        "can_manage": can_manage,
        "can_invite": permissions.can_invite_members(membership=membership),
        "can_edit": permissions.can_edit_organization(membership=membership),
        "pending_invites": (
            selectors.list_pending_invites(
                organization=organization, now=timezone.now()
            )
            if can_manage
            else []
        ),
        "role_choices": MembershipRole.choices,
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_settings(
    request: AuthenticatedHttpRequest, org_slug: str
) -> HttpResponse:
    """Rename the organization (its slug, so its links, stay) and manage invitations."""
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    if not permissions.can_edit_organization(membership=membership):
        raise PermissionDenied(
            "Only admins of this organization can change its settings."
        )
    organization = membership.organization
    form = OrganizationForm(request.POST or None, initial={"name": organization.name})
    if request.method == "POST" and form.is_valid():
        try:
            rename_organization(
                actor=request.user,
                organization=organization,
                name=form.cleaned_data["name"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"The organization is now called {organization}.")
            return redirect("orgs:settings", org_slug=organization.slug)
    pending = selectors.list_pending_invites(
        organization=organization, now=timezone.now()
    )
    context = {
        "organization": organization,
        "membership": membership,
        "form": form,
        "invites": [
            (invite, invite_accept_url(token=invite.token)) for invite in pending
        ],
        "can_invite": permissions.can_invite_members(membership=membership),
    }
    return render(request, "orgs/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts("invite", keys=("user",))
def invite_create(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    if not permissions.can_invite_members(membership=membership):
        raise PermissionDenied("Only admins of this organization can invite people.")
    organization = membership.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite_member(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Invite sent to {form.cleaned_data['email']}.")
            return redirect("orgs:settings", org_slug=organization.slug)
    return render(
        request, "orgs/invite.html", {"organization": organization, "form": form}
    )


@login_required
@require_POST
def invite_revoke(
    request: AuthenticatedHttpRequest, org_slug: str, invite_id: int
) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    organization = membership.organization
    invite = found_or_404(
        selectors.get_organization_invite(
            organization=organization, invite_id=invite_id
        ),
        name="invitation",
    )
    if not permissions.can_manage_invite(membership=membership, invite=invite):
        raise PermissionDenied("Only admins of this organization can revoke invites.")
    try:
        revoke_invite(actor=request.user, invite=invite)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"The invitation to {invite.email} was revoked: its link no longer works.",
        )
    return redirect("orgs:settings", org_slug=organization.slug)


@login_required
@require_POST
def invite_resend(
    request: AuthenticatedHttpRequest, org_slug: str, invite_id: int
) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    organization = membership.organization
    invite = found_or_404(
        selectors.get_organization_invite(
            organization=organization, invite_id=invite_id
        ),
        name="invitation",
    )
    if not permissions.can_manage_invite(membership=membership, invite=invite):
        raise PermissionDenied("Only admins of this organization can re-send invites.")
    try:
        resend_invite(actor=request.user, invite=invite)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Invite sent again to {invite.email}, with a new link: the earlier "
            "one no longer works.",
        )
    return redirect("orgs:settings", org_slug=organization.slug)


# The token of the invitation being opened. The mail's link moves it here and
# on to a page whose address carries none, as Django's password reset does:
# out of the browser's history, the Referer header and later log lines.
INVITE_SESSION_KEY = "orgs_invite_token"


@require_http_methods(["GET", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation mail: keeps its token in the session, then
    shows the invitation at a token-free address (log-in first if needed)."""
    request.session[INVITE_SESSION_KEY] = token
    if request.method == "POST":
        # invitation's login_required sends a visitor to the log-in first.
        return invitation(cast(AuthenticatedHttpRequest, request))
    return redirect("orgs:invitation")


@sensitive_variables("token")
@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: AuthenticatedHttpRequest) -> HttpResponse:
    token = request.session.get(INVITE_SESSION_KEY, "")
    invite = selectors.get_invite(token=token) if token else None
    error = None
    if request.method == "POST" and invite is not None:
        try:
            result = accept_invite(actor=request.user, token=token)
        except DomainError as refused:
            error = refused.message
        else:
            request.session.pop(INVITE_SESSION_KEY, None)
            organization = result.membership.organization
            messages.success(request, f"You joined {organization}.")
            return redirect("orgs:detail", org_slug=organization.slug)
    elif invite is None:
        error = "This invite link is not valid."
    else:
        error = invite.refusal_reason(
            email=request.user.email,
            now=timezone.now(),
            backed_by_inviter=selectors.is_backed_by_inviter(invite=invite),
        )
    status = 400 if error else 200
    return render(
        request,
        "orgs/invite_accept.html",
        {"invite": invite, "error": error},
        status=status,
    )


@login_required
@require_POST
def member_change_role(
    request: AuthenticatedHttpRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    target = found_or_404(
        selectors.get_member(
            organization=membership.organization, membership_id=membership_id
        ),
        name="member",
    )
    if not permissions.can_change_role(membership=membership, target=target):
        raise PermissionDenied("Only admins of this organization can change roles.")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: admin or member.")
    else:
        try:
            change_member_role(
                actor=request.user, membership=target, role=form.cleaned_data["role"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"{target.user} is now {form.cleaned_data['role']}."
            )
    return redirect("orgs:detail", org_slug=membership.organization.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(
    request: AuthenticatedHttpRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    membership = found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )
    organization = membership.organization
    target = found_or_404(
        selectors.get_member(organization=organization, membership_id=membership_id),
        name="member",
    )
    if not permissions.can_remove_member(membership=membership, target=target):
        raise PermissionDenied("Only admins of this organization can remove members.")
    if request.method == "POST":
        try:
            remove_member(actor=request.user, membership=target)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("orgs:detail", org_slug=organization.slug)
        if target.pk == membership.pk:
            messages.success(request, f"You left {organization}.")
            return redirect("orgs:list")
        messages.success(request, f"{target.user} was removed from {organization}.")
        return redirect("orgs:detail", org_slug=organization.slug)
    return render(
        request,
        "orgs/member_remove.html",
        {"organization": organization, "target": target, "membership": membership},
    )
