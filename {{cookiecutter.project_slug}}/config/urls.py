"""Top-level URLs: each app's URLs under its own prefix."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("users.urls")),
    path("articles/", include("articles.urls")),
    path("orgs/<slug:org_slug>/tasks/", include("tasks.urls")),
    path("orgs/", include("orgs.urls")),
    path("admin/", admin.site.urls),
]
