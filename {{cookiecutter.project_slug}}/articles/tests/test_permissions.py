"""Permissions are pure functions: these tests never touch the database."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from articles import permissions
from articles.models import Article
from users.models import User

AUTHOR_ID = 1

RULES = [
    permissions.can_edit_article,
    permissions.can_delete_article,
    permissions.can_approve_comments,
]


def user(pk: int, *, staff: bool = False) -> User:
    """An unsaved user: enough for the policy, no query possible."""
    return User(pk=pk, username=f"user{pk}", is_staff=staff)


def article(*, status: str = Article.Status.PUBLISHED) -> Article:
    return Article(pk=10, author_id=AUTHOR_ID, status=status, title="T", slug="t")


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize(
    ("acting", "expected"),
    [
        (user(AUTHOR_ID), True),
        (user(2, staff=True), True),
        (user(2), False),
        (AnonymousUser(), False),
    ],
    ids=["author", "staff", "other", "anonymous"],
)
@pytest.mark.parametrize("status", Article.Status.values)
def test_author_or_staff_rules(rule, acting, expected, status):
    assert rule(user=acting, article=article(status=status)) is expected


@pytest.mark.parametrize("rule", RULES)
def test_anonymous_never_matches_an_unsaved_authorless_article(rule):
    # AnonymousUser.pk and an unsaved author_id are both None: not the author.
    orphan = Article(title="T", status=Article.Status.DRAFT)
    assert rule(user=AnonymousUser(), article=orphan) is False


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

    author: Any = Dummy(pk=1, is_authenticated=True, is_staff=False)
    other: Any = Dummy(pk=2, is_authenticated=True, is_staff=False)
    post: Any = Dummy(author_id=1, is_published=True)
    assert permissions.can_edit_article(user=author, article=post) is True
    assert permissions.can_edit_article(user=other, article=post) is False
    assert permissions.can_comment_on_article(user=other, article=post) is True
