"""Selectors: who sees which article, filters without duplicates, fixed queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles import selectors
from articles.tests.factories import (
    ArticleFactory,
    CommentFactory,
    TagFactory,
    grant,
)
from articles.types import ArticleFilters
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    """A published article and a draft by the author; others who may read them."""
    author = UserFactory.create(username="author")
    return {
        "author": author,
        "other": UserFactory.create(username="other"),
        "staff": UserFactory.create(username="staff", is_staff=True),
        "viewer": grant(UserFactory.create(username="viewer"), "view_article"),
        "editor": grant(UserFactory.create(username="editor"), "change_article"),
        "superuser": UserFactory.create(username="root", is_superuser=True),
        "published": ArticleFactory.create(author=author, published=True, slug="news"),
        "draft": ArticleFactory.create(author=author, slug="secret"),
    }


ANYONE = AnonymousUser()
NO_FILTERS = ArticleFilters()


def slugs(qs):
    return sorted(article.slug for article in qs)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["news"]),
        ("other", ["news"]),
        ("author", ["news", "secret"]),
        ("staff", ["news"]),  # staff status alone is no permission
        ("viewer", ["news", "secret"]),
        ("editor", ["news", "secret"]),
        ("superuser", ["news", "secret"]),
    ],
)
def test_drafts_are_visible_to_their_author_and_who_may_view_them(cast, who, expected):
    user = ANYONE if who == "anonymous" else cast[who]
    assert slugs(selectors.list_articles(user=user, filters=NO_FILTERS)) == expected
    found = selectors.get_article(user=user, slug="secret")
    assert (found is not None) is ("secret" in expected)


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_a_hidden_draft_is_none_like_a_missing_article(cast, who):
    user = ANYONE if who == "anonymous" else cast[who]
    assert selectors.get_article(user=user, slug="secret") is None
    assert selectors.get_article(user=user, slug="no-such-article") is None
    assert selectors.get_article(user=user, slug="news") == cast["published"]


def test_get_article_loads_author_and_tags_in_two_queries(
    cast, django_assert_num_queries
):
    cast["draft"].tags.set(
        [TagFactory.create(name="Alpha"), TagFactory.create(name="Beta")]
    )
    author = cast["author"]
    author.has_perm("articles.view_article")  # read once a request, then cached
    with django_assert_num_queries(2):
        found = selectors.get_article(user=author, slug="secret")
        assert found is not None
        assert found.author.username == "author"
        assert [tag.name for tag in found.tags.all()] == ["Alpha", "Beta"]


def test_list_ordering_newest_first_with_drafts_ahead(cast):
    now = timezone.now()
    older = ArticleFactory.create(published=True, published_at=now - timedelta(days=3))
    cast["published"].published_at = now - timedelta(days=1)
    cast["published"].save()
    listed = selectors.list_articles(user=cast["editor"], filters=NO_FILTERS)
    ordered = [a.slug for a in listed]
    assert ordered == ["secret", "news", older.slug]


def test_list_costs_the_same_queries_for_many_articles(django_assert_num_queries):
    tags = [TagFactory.create(name=f"T{i}") for i in range(4)]
    for _ in range(30):
        ArticleFactory.create(published=True, tags=tags)
    with django_assert_num_queries(2):
        rows = [
            (a.author.username, [t.name for t in a.tags.all()])
            for a in selectors.list_articles(user=ANYONE, filters=NO_FILTERS)
        ]
    assert len(rows) == 30
    assert all(names == ["T0", "T1", "T2", "T3"] for _, names in rows)


# list_articles' filters ----------------------------------------------------


@pytest.fixture
def library(db):
    django = TagFactory.create(name="Django", slug="django")
    testing = TagFactory.create(name="Testing", slug="testing")
    TagFactory.create(name="Unused", slug="unused")
    both = ArticleFactory.create(
        published=True,
        title="Testing Django views",
        body="Django makes testing views easy.",
        tags=[django, testing],
    )
    only_django = ArticleFactory.create(
        published=True, title="Models", body="Django models.", tags=[django]
    )
    untagged = ArticleFactory.create(published=True, title="Cooking", body="Pasta.")
    return {"both": both, "django": only_django, "untagged": untagged}


def filtered(user=ANYONE, **filters):
    listed = selectors.list_articles(user=user, filters=ArticleFilters(**filters))
    return [a.title for a in listed]


def test_filter_by_tag_slug(library):
    assert sorted(filtered(tag="django")) == ["Models", "Testing Django views"]
    assert filtered(tag="testing") == ["Testing Django views"]
    assert filtered(tag="unused") == []
    assert filtered(tag="no-such-tag") == []


def test_search_matches_title_or_body_case_insensitively(library):
    assert filtered(q="PASTA") == ["Cooking"]
    assert sorted(filtered(q="django")) == ["Models", "Testing Django views"]
    assert filtered(q="  models  ") == ["Models"]


def test_empty_filters_keep_everything(library):
    assert len(filtered(q="", tag="")) == 3
    assert len(filtered(q="   ", tag=None)) == 3


def test_no_duplicates_with_several_matching_tags_and_terms(library):
    """Matching in title, body and two tags still gives each article once."""
    titles = filtered(q="django", tag="django")
    assert sorted(titles) == ["Models", "Testing Django views"]
    assert len(titles) == len(set(titles))
    qs = selectors.list_articles(
        user=ANYONE, filters=ArticleFilters(q="testing", tag="testing")
    )
    assert qs.count() == 1 == len(list(qs))


def test_filters_keep_the_list_ordering_and_scoping(library):
    draft = ArticleFactory.create(title="Draft about Django", body="Django")
    titles = filtered(user=draft.author, q="django")
    assert titles[0] == "Draft about Django"  # drafts first, as in the list
    assert filtered(q="draft") == []


# comments and tags --------------------------------------------------------


def test_approved_and_pending_comments_of_one_article(cast, django_assert_num_queries):
    article = cast["published"]
    first = CommentFactory.create(
        article=article, approved=True, author__username="ann"
    )
    second = CommentFactory.create(
        article=article, approved=True, author__username="ben"
    )
    pending = CommentFactory.create(article=article)
    CommentFactory.create(approved=True)  # another article's comment
    with django_assert_num_queries(1):
        rows = [
            (c.pk, c.author.username)
            for c in selectors.list_approved_comments(article=article)
        ]
    assert rows == [(first.pk, "ann"), (second.pk, "ben")]
    assert list(selectors.list_pending_comments(article=article)) == [pending]


def test_get_comment_finds_none_from_another_article(cast):
    own = CommentFactory.create(article=cast["published"])
    foreign = CommentFactory.create()
    article = cast["published"]
    assert selectors.get_comment(article=article, comment_id=own.pk) == own
    assert selectors.get_comment(article=article, comment_id=foreign.pk) is None


def test_list_tags_is_sorted_by_name(db):
    ArticleFactory.create(
        published=True,
        tags=[TagFactory.create(name="Zeta"), TagFactory.create(name="Alpha")],
    )
    assert [t.name for t in selectors.list_tags(user=ANYONE)] == ["Alpha", "Zeta"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["Public"]),
        ("other", ["Public"]),
        ("staff", ["Public"]),
        ("author", ["Merger", "Public"]),
        ("viewer", ["Merger", "Public"]),
    ],
)
def test_list_tags_leaves_out_the_tags_of_hidden_drafts(cast, who, expected):
    public = TagFactory.create(name="Public")
    cast["published"].tags.set([public])
    cast["draft"].tags.set([public, TagFactory.create(name="Merger")])
    TagFactory.create(name="Unused")
    user = ANYONE if who == "anonymous" else cast[who]
    assert [t.name for t in selectors.list_tags(user=user)] == expected


def test_get_tags_by_slug_finds_the_existing_ones(db):
    alpha = TagFactory.create(name="Alpha", slug="alpha")
    TagFactory.create(name="Beta", slug="beta")
    found = selectors.get_tags_by_slug(slugs=["alpha", "missing"])
    assert found == {"alpha": alpha}


def test_is_article_slug_taken(cast, django_assert_num_queries):
    assert selectors.is_article_slug_taken("news") is True
    assert selectors.is_article_slug_taken("free") is False
    with django_assert_num_queries(0):
        assert selectors.is_article_slug_taken("new") is True


def test_is_tag_slug_taken(db):
    TagFactory.create(name="Django", slug="django")
    assert selectors.is_tag_slug_taken("django") is True
    assert selectors.is_tag_slug_taken("flask") is False


def test_has_articles(db):
    assert selectors.has_articles() is False
    ArticleFactory.create()
    assert selectors.has_articles() is True


def test_recent_articles_are_the_latest_published_ones_whoever_asks(cast):
    older = ArticleFactory.create(
        published=True, published_at=timezone.now() - timedelta(days=3)
    )
    newest = ArticleFactory.create(published=True)
    assert list(selectors.list_recent_articles(limit=2)) == [newest, cast["published"]]
    assert list(selectors.list_recent_articles(limit=5))[-1] == older  # no draft
