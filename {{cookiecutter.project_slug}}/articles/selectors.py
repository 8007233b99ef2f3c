"""Reads about articles, tags and comments.

Every article QuerySet goes through ``_with_relations``: the author joined and
the tags prefetched, whoever the caller is, so a list costs the same number of
queries for 3 articles as for 3,000. Scoping (who sees drafts) is the model's
``visible_to``; a draft someone may not see is a 404, as if it did not exist.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from articles.models import RESERVED_ARTICLE_SLUGS, Article, Comment, Tag
from users.models import User

ArticleTag = Article.tags.through


def _with_relations(qs: QuerySet[Article]) -> QuerySet[Article]:
    """The one loading strategy of every article read."""
    return qs.select_related("author").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def article_qs_for_public() -> QuerySet[Article]:
    """Published articles, newest first: what anyone may read."""
    return _with_relations(Article.objects.published())


def article_qs_visible_to(*, user: User | AnonymousUser) -> QuerySet[Article]:
    """Published articles, plus the user's own drafts (all drafts for staff)."""
    return _with_relations(Article.objects.visible_to(user))


def filter_articles(
    *, qs: QuerySet[Article], q: str | None = None, tag: str | None = None
) -> QuerySet[Article]:
    """Search title and body, and keep the articles with the tag of that slug.

    Both filters are subqueries or plain columns, never a join that multiplies
    rows, so no article comes twice and no ``distinct()`` is needed.
    """
    if tag:
        qs = qs.filter(
            Exists(ArticleTag.objects.filter(article_id=OuterRef("pk"), tag__slug=tag))
        )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return qs


def get_article_visible_to_or_404(*, user: User | AnonymousUser, slug: str) -> Article:
    article = article_qs_visible_to(user=user).filter(slug=slug).first()
    if article is None:
        raise Http404("No article matches the given query.")
    return article


def article_slug_is_taken(slug: str) -> bool:
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


def approved_comments(*, article: Article) -> QuerySet[Comment]:
    return _comments_of(article).filter(is_approved=True)


def pending_comments(*, article: Article) -> QuerySet[Comment]:
    """Comments waiting for approval: for those who may approve them only."""
    return _comments_of(article).filter(is_approved=False)


def get_comment_of_article_or_404(*, article: Article, comment_id: int) -> Comment:
    """A comment by id inside one article: an id from elsewhere is a 404."""
    comment = _comments_of(article).filter(pk=comment_id).first()
    if comment is None:
        raise Http404("No comment matches the given query.")
    return comment


def tag_list() -> QuerySet[Tag]:
    return Tag.objects.order_by("name")


def tags_by_slug(*, slugs: list[str]) -> dict[str, Tag]:
    return {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}


def tag_slug_is_taken(slug: str) -> bool:
    return Tag.objects.filter(slug=slug).exists()
