"""Mounted under ``api/v1/``: the organizations, and invitations by their link."""

from django.urls import path

from orgs import api

app_name = "orgs-api"

urlpatterns = [
    path("orgs/", api.OrganizationListApi.as_view(), name="list"),
    path("orgs/<slug:org_slug>/", api.OrganizationDetailApi.as_view(), name="detail"),
    path("orgs/<slug:org_slug>/members/", api.MemberListApi.as_view(), name="members"),
    path(
        "orgs/<slug:org_slug>/members/<id:membership_id>/",
        api.MemberDetailApi.as_view(),
        name="member",
    ),
    path("orgs/<slug:org_slug>/invites/", api.InviteListApi.as_view(), name="invites"),
    path(
        "orgs/<slug:org_slug>/invites/<id:invite_id>/",
        api.InviteDetailApi.as_view(),
        name="invite",
    ),
    path(
        "orgs/<slug:org_slug>/invites/<id:invite_id>/resend/",
        api.InviteResendApi.as_view(),
        name="invite-resend",
    ),
    path("invites/<token:token>/", api.InvitationApi.as_view(), name="invitation"),
    path(
        "invites/<token:token>/accept/",
        api.InvitationAcceptApi.as_view(),
        name="invitation-accept",
    ),
]
