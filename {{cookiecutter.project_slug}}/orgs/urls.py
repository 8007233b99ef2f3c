from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("new/", views.organization_create, name="create"),
    # Before the link's pattern, which "open" would match too.
    path("invites/open/", views.invitation, name="invitation"),
    path("invites/<token:token>/", views.invite_accept, name="invite_accept"),
    path("<slug:org_slug>/", views.organization_detail, name="detail"),
    path("<slug:org_slug>/settings/", views.organization_settings, name="settings"),
    path("<slug:org_slug>/invite/", views.invite_create, name="invite"),
    path(
        "<slug:org_slug>/invites/<id:invite_id>/revoke/",
        views.invite_revoke,
        name="invite_revoke",
    ),
    path(
        "<slug:org_slug>/invites/<id:invite_id>/resend/",
        views.invite_resend,
        name="invite_resend",
    ),
    path(
        "<slug:org_slug>/members/<id:membership_id>/role/",
        views.member_change_role,
        name="member_role",
    ),
    path(
        "<slug:org_slug>/members/<id:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
