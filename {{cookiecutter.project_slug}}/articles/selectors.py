"""Reads about articles, tags and comments.

Every article read goes through ``_visible_to``: the rows the user may see
(the model's ``visible_to``), the author joined and the tags prefetched,
whoever the caller is, so a list costs the same number of queries for 3
articles as for 3,000. A draft someone may not see is ``None`` to them, as if
it did not exist; the view turns that into the 404.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from articles.models import (
    RESERVED_ARTICLE_SLUGS,
    Article,
    Comment,
    Tag,
    visible_articles,
)
from articles.types import ArticleFilters
from users.models import User

ArticleTag = Article.tags.through


def _visible_to(user: User | AnonymousUser) -> QuerySet[Article]:
    """The one loading strategy of every article read, inside the user's scope."""
    return (
        Article.objects.visible_to(user)
        .select_related("author")
        .prefetch_related("tags")  # by name: the tag's own order
    )


def list_articles(
    *, user: User | AnonymousUser, filters: ArticleFilters
) -> QuerySet[Article]:
    """Published articles, plus the user's own drafts (all, for editors).

    ``filters.q`` searches the title and the body; ``filters.tag`` keeps the
    articles with the tag of that slug. Both are subqueries or plain columns,
    never a join that multiplies rows, so no article comes twice and no
    ``distinct()`` is needed.
    """
    articles = _visible_to(user)
    if filters.tag:
        tagged = ArticleTag.objects.filter(
            article_id=OuterRef("pk"), tag__slug=filters.tag
        )
        articles = articles.filter(Exists(tagged))
    q = filters.q.strip()
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return articles


def list_recent_articles(*, limit: int) -> QuerySet[Article]:
    """The latest published articles, at most ``limit``: what anyone may read.

    Without their tags (no query for them): home, which lists these, shows none.
    """
    return (
        _visible_to(AnonymousUser())
        .prefetch_related(None)
        .order_by("-published_at", "-id")[:limit]
    )


def get_article(*, user: User | AnonymousUser, slug: str) -> Article | None:
    """The article of that slug, or ``None`` if it is missing or hidden from the user."""
    return _visible_to(user).filter(slug=slug).first()


def get_published_article(*, article_id: int) -> Article | None:
    """The article while it is published, author joined, or None: for its jobs.

    Unscoped (every reader may see a published article); never for a page,
    which reads through ``get_article`` in the reader's scope.
    """
    return (
        Article.objects.published()
        .select_related("author")
        .filter(pk=article_id)
        .first()
    )


def is_article_slug_taken(slug: str) -> bool:
    if slug in RESERVED_ARTICLE_SLUGS:
        return True
    return Article.objects.filter(slug=slug).exists()


def has_articles() -> bool:
    return Article.objects.exists()


def _comments_of(article: Article) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(article=article)
        .select_related("author")
        .order_by("created_at", "id")
    )


def list_approved_comments(*, article: Article) -> QuerySet[Comment]:
    return _comments_of(article).filter(is_approved=True)


def list_pending_comments(*, article: Article) -> QuerySet[Comment]:
    """Comments waiting for approval: for those who may approve them only."""
    return _comments_of(article).filter(is_approved=False)


def get_comment(*, article: Article, comment_id: int) -> Comment | None:
    """A comment by id inside one article: an id from elsewhere is ``None``."""
    return _comments_of(article).filter(pk=comment_id).first()


def list_tags(*, user: User | AnonymousUser) -> QuerySet[Tag]:
    """The tags of the articles the user may see, by name.

    A tag that only a hidden draft carries is not listed: it would tell of
    the draft.
    """
    on_visible_article = ArticleTag.objects.filter(
        visible_articles(user, through="article__"), tag_id=OuterRef("pk")
    )
    return Tag.objects.filter(Exists(on_visible_article)).order_by("name")


def get_tags_by_slug(*, slugs: list[str]) -> dict[str, Tag]:
    """The existing tags among these slugs, by slug."""
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}


def is_tag_slug_taken(slug: str) -> bool:
    return Tag.objects.filter(slug=slug).exists()
