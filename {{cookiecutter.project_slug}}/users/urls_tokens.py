"""The tokens page, under ``accounts/`` with the other account pages.

A token is named by its digest (what knox stores, not the token itself).
"""

from django.urls import path, re_path

from users import views_tokens

urlpatterns = [
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/revoke-all/", views_tokens.token_revoke_all, name="tokens_revoke_all"),
    re_path(
        r"^tokens/(?P<digest>[0-9a-f]{128})/revoke/$",
        views_tokens.token_revoke,
        name="token_revoke",
    ),
]
