"""Articles and tags of one name, created at the same moment, never fail.

On PostgreSQL only (the ``postgresql`` fixture): SQLite writes one at a time,
so two inserts never race there. The services draw a slug, check it, and
insert; a concurrent insert of the same slug between the check and the
insert is refused by the unique constraint, and the service tries again.
"""

import itertools
import threading
from collections.abc import Callable
from typing import TypeVar
from unittest import mock

import pytest
from django.db import connections

from articles import services
from articles.models import Article, Tag
from articles.services import create_article, create_tag
from articles.types import ArticleInput
from users.tests.factories import UserFactory

THREADS = 4
T = TypeVar("T")


def at_once(work: Callable[[int], T]) -> tuple[list[T], list[BaseException]]:
    """Run ``work(n)`` in THREADS threads released together; results and errors."""
    barrier = threading.Barrier(THREADS)
    results: list[T] = []
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=5)
            results.append(work(n))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def checked_too_early(check: Callable[..., object], *, free: object) -> Callable:
    """``check`` that answers ``free`` to each thread's first question.

    As if every thread looked before any of the others inserted: the widest
    window a race can have.
    """
    asked: set[int] = set()

    def first_says_free(*args: object, **kwargs: object) -> object:
        thread = threading.get_ident()
        if thread not in asked:
            asked.add(thread)
            return free
        return check(*args, **kwargs)

    return first_says_free


@pytest.mark.django_db(transaction=True)
def test_articles_of_one_title_at_once_get_different_slugs(postgresql):
    authors = [UserFactory.create() for _ in range(THREADS)]
    # Every thread draws the same suffix first: their inserts collide. Later
    # draws are all different, as random ones almost always are.
    draws = threading.local()
    later_draws = itertools.count()

    def same_first_draw(*args: object, **kwargs: object) -> str:
        draws.count = getattr(draws, "count", 0) + 1
        return "aaaaaa" if draws.count == 1 else f"b{next(later_draws):05d}"

    def write(n: int) -> str:
        return create_article(
            actor=authors[n], data=ArticleInput(title="Breaking", body="News.")
        ).article.slug

    with mock.patch.object(services, "get_random_string", side_effect=same_first_draw):
        slugs, errors = at_once(write)
    assert errors == []
    assert len(set(slugs)) == THREADS == Article.objects.count()
    assert "breaking-aaaaaa" in slugs


@pytest.mark.django_db(transaction=True)
def test_tags_of_one_name_at_once_get_the_next_free_slugs(postgresql):
    actor = UserFactory.create()

    def write(n: int) -> str:
        return create_tag(actor=actor, name="Django").slug

    found = checked_too_early(services.is_tag_slug_taken, free=False)
    with mock.patch.object(services, "is_tag_slug_taken", side_effect=found):
        slugs, errors = at_once(write)
    assert errors == []
    assert sorted(slugs) == ["django", "django-2", "django-3", "django-4"]


@pytest.mark.django_db(transaction=True)
def test_articles_with_one_new_tag_at_once_share_one_tag(postgresql):
    authors = [UserFactory.create() for _ in range(THREADS)]

    def write(n: int) -> int:
        return create_article(
            actor=authors[n],
            data=ArticleInput(title=f"Story {n}", body="Text.", tag_names=("Scoop",)),
        ).article.pk

    found = checked_too_early(services.get_tags_by_slug, free={})
    with mock.patch.object(services, "get_tags_by_slug", side_effect=found):
        created, errors = at_once(write)
    assert errors == []
    assert len(created) == THREADS
    [tag] = Tag.objects.all()
    assert tag.slug == "scoop"
    assert all(tag in article.tags.all() for article in Article.objects.all())
