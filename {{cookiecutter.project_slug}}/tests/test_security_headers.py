"""Every page, for every kind of visitor, sends the security policies and obeys them.

The crawl walks every named URL pattern and asks for it as an anonymous
visitor, an organization member, an organization admin and a superuser; the
admin site's pages as anonymous and superuser. Each path argument takes the
values the ``site`` fixture gives it; an ``..._id`` it does not know (a new
app's) gets an id no row has, so that page is checked as its 404: give the
argument a real row in ``site`` to check the page itself.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from articles.models import Article
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from orgs.tests.factories import InviteFactory
from tasks.tests.factories import TaskEventFactory, TaskFactory
from tests.security_headers import assert_security_headers, policy_violations
from users.tests.factories import log_in_verified

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str
    arguments: tuple[str, ...]
    callback: Any

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def iter_routes(
    patterns: list[URLPattern | URLResolver], namespace: str = "", outer: tuple = ()
) -> Iterator[Route]:
    """Every named pattern, with its full name and all its path arguments."""
    for pattern in patterns:
        arguments = outer + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from iter_routes(pattern.url_patterns, inner, arguments)
        elif pattern.name:
            yield Route(f"{namespace}{pattern.name}", arguments, pattern.callback)


@pytest.fixture
def site(org_with_roles, superuser, client) -> dict[str, list[Any]]:
    """One of everything, and the values each path argument takes."""
    organization = org_with_roles.organization
    author = org_with_roles.admin
    published = ArticleFactory.create(
        author=author, published=True, tags=[TagFactory.create(name="News")]
    )
    draft = ArticleFactory.create(author=author)
    comment = CommentFactory.create(article=published, author=org_with_roles.member)
    CommentFactory.create(article=published, approved=True)
    task = TaskFactory.create(
        organization=organization,
        created_by=author,
        assigned_to=org_with_roles.member,
    )
    TaskEventFactory.create(task=task, organization=organization, actor=author)
    invite = InviteFactory.create(organization=organization, invited_by=author)
    Group.objects.create(name="Editors")
    # The log-in throttling's rows: a failed attempt, and a failure log entry
    # (written only when AXES_ENABLE_ACCESS_FAILURE_LOG is on).
    client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    AccessFailureLog.objects.create(username="alice", ip_address="127.0.0.1")
    return {
        "org_slug": [organization.slug],
        "slug": [published.slug, draft.slug],
        "comment_id": [comment.pk],
        "task_id": [task.pk],
        "membership_id": [org_with_roles.member_membership.pk],
        "token": [invite.token],
        "digest": ["0" * 128],  # of a personal access token: one no row has
        "uidb64": [urlsafe_base64_encode(force_bytes(org_with_roles.member.pk))],
        "app_label": sorted({model._meta.app_label for model in admin.site._registry}),
        "content_type_id": [ContentType.objects.get_for_model(Article).pk],
    }


def model_admin_of(view: Any) -> admin.ModelAdmin | None:
    """The ModelAdmin whose page ``view`` is, through the admin's wrappers."""
    while view is not None:
        owner = getattr(view, "model_admin", getattr(view, "__self__", None))
        if isinstance(owner, admin.ModelAdmin):
            return owner
        view = getattr(view, "__wrapped__", None)
    return None


def path_values(route: Route, site: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Each combination of values for the route's path arguments."""
    model_admin = model_admin_of(route.callback)
    choices = []
    for argument in route.arguments:
        if model_admin is not None and argument in {"object_id", "id"}:
            # With no row, the page redirects and only its headers are checked.
            first = model_admin.model._default_manager.order_by("pk").first()
            choices.append([first.pk if first is not None else 0])
        elif argument == "object_id":  # the admin's "view on site"
            choices.append([Article.objects.get(slug=site["slug"][0]).pk])
        elif argument in site:
            choices.append(site[argument])
        else:
            assert argument.endswith("_id"), f"{route.name}: give <{argument}> values"
            choices.append([0])
    return [
        dict(zip(route.arguments, values, strict=True))
        for values in itertools.product(*choices)
    ]


def test_every_page_sends_the_policies_and_nothing_they_block(
    site, org_with_roles, superuser
):
    visitors = {
        "anonymous": Client(),
        "member": Client(),
        "org admin": Client(),
        "superuser": Client(),
    }
    visitors["member"].force_login(org_with_roles.member)
    visitors["org admin"].force_login(org_with_roles.admin)
    log_in_verified(visitors["superuser"], superuser)
    routes = list(iter_routes(get_resolver().url_patterns))
    pages_seen = 0
    problems = []
    for route in routes:
        for kwargs in path_values(route, site):
            url = reverse(route.name, kwargs=kwargs)
            for who, client in visitors.items():
                if route.is_admin and who not in {"anonymous", "superuser"}:
                    continue
                response = client.get(url)
                assert_security_headers(response, where=f"{url} ({who})")
                # Error pages (403, 404) are pages too.
                if response.get("Content-Type", "").startswith("text/html"):
                    if response.status_code == 200:
                        pages_seen += 1
                    problems += [
                        f"{url} ({who}): {found}"
                        for found in policy_violations(response.content.decode())
                    ]
    assert not problems, "\n".join(problems)
    assert pages_seen > len(routes)


def test_the_log_in_page_obeys_the_policies(client):
    response = client.get(reverse("login"))

    assert_security_headers(response)
    assert policy_violations(response.content.decode()) == []


def test_a_form_with_errors_obeys_the_policies(client, org_with_roles):
    client.force_login(org_with_roles.member)

    response = client.post(reverse("orgs:create"), {"name": ""})

    assert response.status_code == 200
    assert_security_headers(response)
    assert policy_violations(response.content.decode()) == []


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<script>alert(1)</script>", "an inline <script> element"),
        ("<style>p {}</style>", "an inline <style> element"),
        ('<p style="color: red">', "a style attribute on <p>"),
        ('<a href="#" onclick="go()">', "an event handler attribute onclick= on <a>"),
        ('<a href="javascript:go()">', "a javascript: URL in href= on <a>"),
        (
            '<script src="https://cdn.example.net/x.js"></script>',
            "src='https://cdn.example.net/x.js' on <script>",
        ),
        (
            '<link rel="stylesheet" href="//cdn.example.net/x.css">',
            "href='//cdn.example.net/x.css' on <link>",
        ),
        (
            '<img src="data:image/png;base64,AA==">',
            "src='data:image/png;base64,AA==' on <img>",
        ),
        (
            '<form action="https://elsewhere.example/">',
            "action='https://elsewhere.example/' on <form>",
        ),
    ],
)
def test_the_crawl_sees_what_the_policy_blocks(html, found):
    assert policy_violations(html) == [found]


def test_the_crawl_lets_through_what_the_policy_allows():
    html = (
        '<link rel="stylesheet" href="/static/css/site.css">'
        '<script src="/static/admin/js/theme.js" defer></script>'
        '<img src="http://testserver/static/logo.svg">'
        '<a href="https://docs.djangoproject.com/">Django</a>'
        '<form action="/accounts/login/" method="post"></form>'
    )

    assert policy_violations(html) == []
