"""Permissions are pure functions: these tests never touch the database."""

from collections.abc import Iterable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from articles import permissions
from articles.models import Article
from users.models import User

AUTHOR_ID = 1

# Each rule, and the Django permission that grants it to someone not the author.
RULES = [
    (permissions.can_edit_article, "articles.change_article"),
    (permissions.can_delete_article, "articles.delete_article"),
    (permissions.can_approve_comments, "articles.change_comment"),
    (permissions.can_delete_comments, "articles.delete_comment"),
]


def user(pk: int, *, staff: bool = False, perms: Iterable[str] = ()) -> User:
    """An unsaved user: enough for the policy, no query possible.

    ``perms`` are set as the model permissions Django's auth backend caches
    on a user at the first ``has_perm`` (``_perm_cache``), so none is read.
    """
    acting = User(pk=pk, username=f"user{pk}", is_staff=staff)
    acting._perm_cache = set(perms)  # type: ignore[attr-defined]
    return acting


def article(*, status: str = Article.Status.PUBLISHED) -> Article:
    return Article(pk=10, author_id=AUTHOR_ID, status=status, title="T", slug="t")


@pytest.mark.parametrize(("rule", "perm"), RULES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("author", True),
        ("other with the permission", True),
        ("superuser", True),
        ("staff without the permission", False),
        ("other with another permission", False),
        ("other", False),
        ("anonymous", False),
    ],
)
@pytest.mark.parametrize("status", Article.Status.values)
def test_the_author_or_the_django_permission(rule, perm, who, expected, status):
    acting = {
        "author": user(AUTHOR_ID),
        "other with the permission": user(2, perms=[perm]),
        "superuser": User(pk=2, is_superuser=True),
        "staff without the permission": user(2, staff=True),
        "other with another permission": user(2, perms=["articles.view_article"]),
        "other": user(2),
        "anonymous": AnonymousUser(),
    }[who]
    assert rule(user=acting, article=article(status=status)) is expected


@pytest.mark.parametrize(("rule", "perm"), RULES)
def test_anonymous_never_matches_an_unsaved_authorless_article(rule, perm):
    # AnonymousUser.pk and an unsaved author_id are both None: not the author.
    orphan = Article(title="T", status=Article.Status.DRAFT)
    assert rule(user=AnonymousUser(), article=orphan) is False


@pytest.mark.parametrize(
    ("acting", "expected"),
    [
        (user(AUTHOR_ID), True),
        (user(2, perms=["articles.change_comment"]), True),
        (user(2, perms=["articles.delete_comment"]), True),
        (user(2, perms=["articles.change_article"]), False),
        (user(2, staff=True), False),
        (AnonymousUser(), False),
    ],
)
def test_pending_comments_are_for_those_who_approve_or_reject(acting, expected):
    allowed = permissions.can_view_pending_comments(user=acting, article=article())
    assert allowed is expected


def test_can_create_article():
    assert permissions.can_create_article(user=user(2)) is True
    assert permissions.can_create_article(user=AnonymousUser()) is False


@pytest.mark.parametrize(
    ("acting", "status", "expected"),
    [
        (user(2), Article.Status.PUBLISHED, True),
        (user(AUTHOR_ID), Article.Status.PUBLISHED, True),
        (user(AUTHOR_ID), Article.Status.DRAFT, False),
        (user(2, staff=True), Article.Status.DRAFT, False),
        (AnonymousUser(), Article.Status.PUBLISHED, False),
    ],
)
def test_can_comment_on_published_articles_only(acting, status, expected):
    allowed = permissions.can_comment_on_article(
        user=acting, article=article(status=status)
    )
    assert allowed is expected


def test_permissions_accept_plain_objects():
    """The rules read attributes only, as the chapter's dummy objects show."""

    class Dummy:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    def has_no_perm(perm: str) -> bool:
        return False

    author: Any = Dummy(pk=1, is_authenticated=True, has_perm=has_no_perm)
    other: Any = Dummy(pk=2, is_authenticated=True, has_perm=has_no_perm)
    post: Any = Dummy(author_id=1, is_published=True)
    assert permissions.can_edit_article(user=author, article=post) is True
    assert permissions.can_edit_article(user=other, article=post) is False
    assert permissions.can_comment_on_article(user=other, article=post) is True
