"""Top-level URLs: each app's URLs under its own prefix."""

from django.contrib import admin
from django.urls import include, path
{%- if cookiecutter.__api == "drf" %}
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
{%- endif %}

{% if cookiecutter.__api == "drf" -%}
from core.api import TokenCreateView, TokenRevokeAllView, TokenRevokeView
{% endif -%}
from core.views import healthz, readyz

urlpatterns = [
    path("", include("dashboard.urls")),
    # Probes for the load balancer (core/views.py); no login, no session.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("accounts/", include("users.urls")),
{%- if cookiecutter.__api == "drf" %}
    path("accounts/", include("users.urls_tokens")),
{%- endif %}
    path("articles/", include("articles.urls")),
    path("orgs/<slug:org_slug>/tasks/", include("tasks.urls")),
    path("orgs/", include("orgs.urls")),
    path("admin/", admin.site.urls),
{%- if cookiecutter.__api == "drf" %}
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    # A personal access token for scripts, asked for from a signed-in browser
    # (the documentation page): shown once, stored hashed.
    path("api/v1/tokens/", TokenCreateView.as_view(), name="api-token-create"),
    path("api/v1/tokens/revoke/", TokenRevokeView.as_view(), name="api-token-revoke"),
    path(
        "api/v1/tokens/revoke-all/",
        TokenRevokeAllView.as_view(),
        name="api-token-revoke-all",
    ),
    path("api/v1/orgs/<slug:org_slug>/tasks/", include("tasks.urls_api")),
    path("api/v1/articles/", include("articles.urls_api")),
    path("api/v1/", include("orgs.urls_api")),
{%- endif %}
]
{%- if cookiecutter.__api == "drf" %}

# Under /api/ a missing route or a crash answers in the API's JSON envelope.
handler404 = "core.api.page_not_found"
handler500 = "core.api.server_error"
{%- endif %}
