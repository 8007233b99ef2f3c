"""The organization pages.

Each view looks up the user's membership, checks the role, writes the
memberships and invites, and sends the invite e-mail itself.
"""

import secrets
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.rate_limits import limit_posts
from orgs.forms import InviteForm, OrganizationForm, RoleForm
from orgs.models import RESERVED_ORG_SLUGS, Invite, Membership, Organization
from users.types import AuthenticatedHttpRequest


def _membership(request: AuthenticatedHttpRequest, org_slug: str) -> Membership:
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(user=request.user, organization__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404("No organization matches the given query.")
    return membership


def _pending_invites(organization: Organization) -> list[Invite]:
    return list(
        Invite.objects.pending(now=timezone.now())
        .filter(organization=organization)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def _member(organization: Organization, membership_id: int) -> Membership:
    target = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, pk=membership_id)
        .first()
    )
    if target is None:
        raise Http404("No member matches the given query.")
    return target


@login_required
@require_GET
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__name")
    )
    return render(request, "orgs/list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts("organization_create", keys=("user",))
def organization_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        base = slugify(name)[:140].strip("-") or "org"
        slug, n = base, 2
        while (
            slug in RESERVED_ORG_SLUGS
            or Organization.objects.filter(slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        with transaction.atomic():
            organization = Organization.objects.create(name=name, slug=slug)
            Membership.objects.create(
                user=request.user,
                organization=organization,
                role=Membership.Role.ADMIN,
            )
        messages.success(request, f"Organization {organization} created.")
        return redirect("orgs:detail", org_slug=organization.slug)
    return render(request, "orgs/create.html", {"form": form})


@login_required
@require_GET
def organization_detail(
    request: AuthenticatedHttpRequest, org_slug: str
) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    is_admin = membership.role == Membership.Role.ADMIN
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username")
    )
    pending = _pending_invites(organization)
    context = {
        "organization": organization,
        "membership": membership,
        "members": members,
        "can_manage": is_admin,
        "can_invite": is_admin,
        "can_edit": is_admin,
        "pending_invites": pending if is_admin else [],
        "role_choices": Membership.Role.choices,
    }
    return render(request, "orgs/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organization_settings(
    request: AuthenticatedHttpRequest, org_slug: str
) -> HttpResponse:
    membership = _membership(request, org_slug)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied(
            "Only admins of this organization can change its settings."
        )
    organization = membership.organization
    form = OrganizationForm(request.POST or None, initial={"name": organization.name})
    if request.method == "POST" and form.is_valid():
        organization.name = form.cleaned_data["name"]
        organization.save(update_fields=["name", "updated_at"])
        messages.success(request, f"The organization is now called {organization}.")
        return redirect("orgs:settings", org_slug=organization.slug)
    pending = _pending_invites(organization)
    context = {
        "organization": organization,
        "membership": membership,
        "form": form,
        "invites": [(invite, _accept_url(invite)) for invite in pending],
        "can_invite": True,
    }
    return render(request, "orgs/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limit_posts("invite", keys=("user",))
def invite_create(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    membership = _membership(request, org_slug)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can invite people.")
    organization = membership.organization
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        now = timezone.now()
        if Membership.objects.filter(
            organization=organization, user__email__iexact=email
        ).exists():
            form.add_error("email", f"{email} is already a member of {organization}.")
        elif (
            Invite.objects.pending(now=now)
            .filter(organization=organization, email__iexact=email)
            .exists()
        ):
            form.add_error(
                "email", f"{email} already has a pending invite to {organization}."
            )
        else:
            # An open invite that can no longer be accepted makes way.
            Invite.objects.open().filter(
                organization=organization, email__iexact=email
            ).update(revoked_at=now)
            invite = Invite.objects.create(
                organization=organization,
                email=email,
                role=form.cleaned_data["role"],
                token=secrets.token_urlsafe(32),
                invited_by=request.user,
                expires_at=now + timedelta(days=settings.ORGS_INVITE_TTL_DAYS),
            )
            _send_invite_mail(request, invite)
            messages.success(request, f"Invite sent to {email}.")
            return redirect("orgs:settings", org_slug=organization.slug)
    return render(
        request, "orgs/invite.html", {"organization": organization, "form": form}
    )


def _accept_url(invite: Invite) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "orgs:invite_accept", kwargs={"token": invite.token}
    )


def _send_invite_mail(request: AuthenticatedHttpRequest, invite: Invite) -> None:
    organization = invite.organization
    accept_url = _accept_url(invite)
    send_mail(
        f"You are invited to join {organization.name}",
        f"{request.user.username} invited you to join {organization.name} "
        f"as {invite.get_role_display().lower()}.\n\n"
        f"Accept the invitation here: {accept_url}\n\n"
        f"The link expires on {invite.expires_at:%Y-%m-%d %H:%M %Z}.",
        settings.DEFAULT_FROM_EMAIL,
        [invite.email],
    )


def _invite(organization: Organization, invite_id: int) -> Invite:
    invite = (
        Invite.objects.select_related("organization")
        .filter(organization=organization, pk=invite_id)
        .first()
    )
    if invite is None:
        raise Http404("No invitation matches the given query.")
    return invite


def _ended(invite: Invite) -> str | None:
    if invite.accepted_at is not None:
        return f"The invitation to {invite.email} has already been accepted."
    if invite.revoked_at is not None:
        return f"The invitation to {invite.email} was revoked."
    return None


@login_required
@require_POST
def invite_revoke(
    request: AuthenticatedHttpRequest, org_slug: str, invite_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    invite = _invite(organization, invite_id)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can revoke invites.")
    ended = _ended(invite)
    if ended:
        messages.error(request, ended)
    else:
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at", "updated_at"])
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
    membership = _membership(request, org_slug)
    organization = membership.organization
    invite = _invite(organization, invite_id)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can re-send invites.")
    ended = _ended(invite)
    if ended:
        messages.error(request, ended)
    elif Membership.objects.filter(
        organization=organization, user__email__iexact=invite.email
    ).exists():
        messages.error(
            request, f"{invite.email} is already a member of {organization}."
        )
    else:
        invite.token = secrets.token_urlsafe(32)
        invite.expires_at = timezone.now() + timedelta(
            days=settings.ORGS_INVITE_TTL_DAYS
        )
        invite.invited_by = request.user
        invite.save(update_fields=["token", "expires_at", "invited_by", "updated_at"])
        _send_invite_mail(request, invite)
        messages.success(
            request,
            f"Invite sent again to {invite.email}, with a new link: the earlier "
            "one no longer works.",
        )
    return redirect("orgs:settings", org_slug=organization.slug)


# The token of the invitation being opened, kept out of the page's address.
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
    invite = Invite.objects.select_related("organization").filter(token=token).first()
    error = None
    if invite is None:
        error = "This invite link is not valid."
    else:
        error = invite.refusal_reason(
            email=request.user.email,
            now=timezone.now(),
            backed_by_inviter=Invite.objects.backed_by_inviter()
            .filter(pk=invite.pk)
            .exists(),
        )
    if request.method == "POST" and invite is not None and error is None:
        organization = invite.organization
        if Membership.objects.filter(
            user=request.user, organization=organization
        ).exists():
            error = f"You are already a member of {organization}."
        else:
            with transaction.atomic():
                Membership.objects.create(
                    user=request.user, organization=organization, role=invite.role
                )
                invite.accepted_at = timezone.now()
                invite.accepted_by = request.user
                invite.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
            request.session.pop(INVITE_SESSION_KEY, None)
            messages.success(request, f"You joined {organization}.")
            return redirect("orgs:detail", org_slug=organization.slug)
    status = 400 if error else 200
    return render(
        request,
        "orgs/invite_accept.html",
        {"invite": invite, "error": error},
        status=status,
    )


def _is_last_admin(target: Membership) -> bool:
    admins = Membership.objects.filter(
        organization=target.organization, role=Membership.Role.ADMIN
    ).count()
    return target.role == Membership.Role.ADMIN and admins <= 1


@login_required
@require_POST
def member_change_role(
    request: AuthenticatedHttpRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    target = _member(membership.organization, membership_id)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can change roles.")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role: admin or member.")
    else:
        role = form.cleaned_data["role"]
        if role != Membership.Role.ADMIN and _is_last_admin(target):
            messages.error(
                request,
                f"Cannot demote {target.user}: they are the last admin of "
                f"{target.organization}. Make another member an admin first.",
            )
        else:
            target.role = role
            target.save(update_fields=["role", "updated_at"])
            messages.success(request, f"{target.user} is now {role}.")
    return redirect("orgs:detail", org_slug=membership.organization.slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(
    request: AuthenticatedHttpRequest, org_slug: str, membership_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    target = _member(organization, membership_id)
    if membership.role != Membership.Role.ADMIN and target.pk != membership.pk:
        raise PermissionDenied("Only admins of this organization can remove members.")
    if request.method == "POST":
        if _is_last_admin(target):
            messages.error(
                request,
                f"Cannot remove {target.user}: they are the last admin of "
                f"{organization}. Make another member an admin first.",
            )
            return redirect("orgs:detail", org_slug=organization.slug)
        leaving = target.pk == membership.pk
        target.delete()
        if leaving:
            messages.success(request, f"You left {organization}.")
            return redirect("orgs:list")
        messages.success(request, f"{target.user} was removed from {organization}.")
        return redirect("orgs:detail", org_slug=organization.slug)
    return render(
        request,
        "orgs/member_remove.html",
        {"organization": organization, "target": target, "membership": membership},
    )
