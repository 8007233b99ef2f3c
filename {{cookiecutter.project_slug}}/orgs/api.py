"""The orgs API: the organization pages' work, in JSON, through the same layers.

Mounted under ``api/v1/``: ``orgs/`` for the caller's organizations, their
members and invitations, ``invites/<token>/`` for the person invited. Like
the views: a non-member gets 404 (the membership selector finds nothing), a
member without the right 403 (``orgs.permissions``), anonymous callers 401.
A service's refusal (``DomainError``, such as removing the last admin) leaves
through ``core.api.exception_handler``.
"""

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import WRITE_THROTTLES, Pagination, error_responses
from core.converters import TokenConverter
from core.exceptions import InvalidTokenError
from core.http import found_or_404
from orgs import permissions, selectors
from orgs.models import Invite, Membership
from orgs.serializers import (
    InvitationSerializer,
    InviteInputSerializer,
    InviteSerializer,
    MemberSerializer,
    OrganizationInputSerializer,
    OrganizationSerializer,
    RoleInputSerializer,
)
from orgs.services import change_member_role, create_organization, remove_member
from orgs.services_invites import (
    accept_invite,
    invite_member,
    resend_invite,
    revoke_invite,
)
from users.models import User

ORG_SLUG = OpenApiParameter("org_slug", OpenApiTypes.STR, OpenApiParameter.PATH)
MEMBERSHIP_ID = OpenApiParameter(
    "membership_id", OpenApiTypes.INT, OpenApiParameter.PATH
)
INVITE_ID = OpenApiParameter("invite_id", OpenApiTypes.INT, OpenApiParameter.PATH)
TOKEN = OpenApiParameter(
    "token",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The secret of the invitation's link.",
    pattern=f"^{TokenConverter.regex}$",
)


def _actor(request: Request) -> User:
    """The signed-in caller: every endpoint here requires one (IsAuthenticated)."""
    return cast(User, request.user)


def _membership(request: Request, org_slug: str) -> Membership:
    return found_or_404(
        selectors.get_membership(user=request.user, org_slug=org_slug),
        name="organization",
    )


def _member(membership: Membership, membership_id: int) -> Membership:
    return found_or_404(
        selectors.get_member(
            organization=membership.organization, membership_id=membership_id
        ),
        name="member",
    )


def _invite(membership: Membership, invite_id: int) -> Invite:
    return found_or_404(
        selectors.get_organization_invite(
            organization=membership.organization, invite_id=invite_id
        ),
        name="invitation",
    )


class OrganizationListApi(GenericAPIView[Membership]):
    serializer_class = OrganizationSerializer
    pagination_class = Pagination
    throttle_classes = WRITE_THROTTLES
    throttle_scope = "organization_create"

    @extend_schema(
        operation_id="orgs_list",
        responses={200: OrganizationSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request) -> Response:
        """The caller's organizations, by name, each with the caller's role."""
        memberships = selectors.list_memberships(user=request.user)
        page = self.paginate_queryset(memberships) or []
        return self.get_paginated_response(OrganizationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="orgs_create",
        request=OrganizationInputSerializer,
        responses={
            201: OrganizationSerializer,
            **error_responses(400, 401, 409, 429),
        },
    )
    def post(self, request: Request) -> Response:
        """A new organization, of which the caller is the first admin."""
        serializer = OrganizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = create_organization(
            actor=_actor(request), name=serializer.validated_data["name"]
        )
        return Response(
            OrganizationSerializer(result.membership).data,
            status=status.HTTP_201_CREATED,
        )


class OrganizationDetailApi(GenericAPIView[Membership]):
    serializer_class = OrganizationSerializer

    @extend_schema(
        operation_id="orgs_retrieve",
        parameters=[ORG_SLUG],
        responses={200: OrganizationSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, org_slug: str) -> Response:
        return Response(OrganizationSerializer(_membership(request, org_slug)).data)


class MemberListApi(GenericAPIView[Membership]):
    serializer_class = MemberSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="orgs_members_list",
        parameters=[ORG_SLUG],
        responses={200: MemberSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The organization's members, by username."""
        membership = _membership(request, org_slug)
        members = selectors.list_members(organization=membership.organization)
        page = self.paginate_queryset(members) or []
        return self.get_paginated_response(MemberSerializer(page, many=True).data)


class MemberDetailApi(GenericAPIView[Membership]):
    serializer_class = MemberSerializer

    @extend_schema(
        operation_id="orgs_members_update",
        parameters=[ORG_SLUG, MEMBERSHIP_ID],
        request=RoleInputSerializer,
        responses={200: MemberSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def put(self, request: Request, org_slug: str, membership_id: int) -> Response:
        """Change a member's role (admins); the last admin stays one."""
        membership = _membership(request, org_slug)
        target = _member(membership, membership_id)
        if not permissions.can_change_role(membership=membership, target=target):
            raise PermissionDenied
        serializer = RoleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changed = change_member_role(
            actor=_actor(request),
            membership=target,
            role=serializer.validated_data["role"],
        )
        return Response(MemberSerializer(changed).data)

    @extend_schema(
        operation_id="orgs_members_destroy",
        parameters=[ORG_SLUG, MEMBERSHIP_ID],
        request=None,
        responses={204: None, **error_responses(401, 403, 404, 409)},
    )
    def delete(self, request: Request, org_slug: str, membership_id: int) -> Response:
        """Remove a member (admins), or leave (anyone, their own membership)."""
        membership = _membership(request, org_slug)
        target = _member(membership, membership_id)
        if not permissions.can_remove_member(membership=membership, target=target):
            raise PermissionDenied
        remove_member(actor=_actor(request), membership=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteListApi(GenericAPIView[Invite]):
    serializer_class = InviteSerializer
    pagination_class = Pagination
    throttle_classes = WRITE_THROTTLES
    throttle_scope = "invite"

    @extend_schema(
        operation_id="orgs_invites_list",
        parameters=[ORG_SLUG],
        responses={
            200: InviteSerializer(many=True),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The invitations that can still be accepted, newest first (admins)."""
        membership = _membership(request, org_slug)
        if not permissions.can_manage_members(membership=membership):
            raise PermissionDenied
        invites = selectors.list_pending_invites(
            organization=membership.organization, now=timezone.now()
        )
        page = self.paginate_queryset(invites) or []
        return self.get_paginated_response(InviteSerializer(page, many=True).data)

    @extend_schema(
        operation_id="orgs_invites_create",
        parameters=[ORG_SLUG],
        request=InviteInputSerializer,
        responses={
            201: InviteSerializer,
            **error_responses(400, 401, 403, 404, 409, 429),
        },
    )
    def post(self, request: Request, org_slug: str) -> Response:
        """Invite someone by e-mail (admins): the link goes by mail only."""
        membership = _membership(request, org_slug)
        if not permissions.can_invite_members(membership=membership):
            raise PermissionDenied
        serializer = InviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = invite_member(
            actor=_actor(request),
            organization=membership.organization,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
        )
        return Response(
            InviteSerializer(result.invite).data, status=status.HTTP_201_CREATED
        )


class InviteDetailApi(GenericAPIView[Invite]):
    serializer_class = InviteSerializer

    @extend_schema(
        operation_id="orgs_invites_destroy",
        parameters=[ORG_SLUG, INVITE_ID],
        request=None,
        responses={204: None, **error_responses(401, 403, 404, 409)},
    )
    def delete(self, request: Request, org_slug: str, invite_id: int) -> Response:
        """Revoke an open invitation (admins): its link stops working."""
        membership = _membership(request, org_slug)
        invite = _invite(membership, invite_id)
        if not permissions.can_manage_invite(membership=membership, invite=invite):
            raise PermissionDenied
        revoke_invite(actor=_actor(request), invite=invite)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InviteResendApi(GenericAPIView[Invite]):
    serializer_class = InviteSerializer

    @extend_schema(
        operation_id="orgs_invites_resend",
        parameters=[ORG_SLUG, INVITE_ID],
        request=None,
        responses={200: InviteSerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, org_slug: str, invite_id: int) -> Response:
        """Send an open invitation again (admins), with a new link and expiry."""
        membership = _membership(request, org_slug)
        invite = _invite(membership, invite_id)
        if not permissions.can_manage_invite(membership=membership, invite=invite):
            raise PermissionDenied
        result = resend_invite(actor=_actor(request), invite=invite)
        return Response(InviteSerializer(result.invite).data)


class InvitationApi(GenericAPIView[Invite]):
    serializer_class = InvitationSerializer

    @extend_schema(
        operation_id="invites_retrieve",
        parameters=[TOKEN],
        responses={200: InvitationSerializer, **error_responses(400, 401)},
    )
    def get(self, request: Request, token: str) -> Response:
        """The invitation behind a link, if the caller may accept it now."""
        invite = selectors.get_invite(token=token)
        if invite is None:
            raise InvalidTokenError("This invite link is not valid.")
        refusal = invite.refusal_reason(
            email=_actor(request).email,
            now=timezone.now(),
            backed_by_inviter=selectors.is_backed_by_inviter(invite=invite),
        )
        if refusal:
            raise InvalidTokenError(refusal)
        return Response(InvitationSerializer(invite).data)


class InvitationAcceptApi(GenericAPIView[Any]):
    serializer_class = OrganizationSerializer

    @extend_schema(
        operation_id="invites_accept",
        parameters=[TOKEN],
        request=None,
        responses={201: OrganizationSerializer, **error_responses(400, 401, 409)},
    )
    def post(self, request: Request, token: str) -> Response:
        """Join the invitation's organization with its role."""
        result = accept_invite(actor=_actor(request), token=token)
        return Response(
            OrganizationSerializer(result.membership).data,
            status=status.HTTP_201_CREATED,
        )
