"""Write workflows for articles, tags and comments.

Every function is one transaction. Who may call it is decided before, at the
edge (the views ask ``articles.permissions``; the admin is for staff); what
is checked here holds whoever calls: a published article has a body, comments
open once the article is published. The publish transition lives in one
place, ``_apply_publication``: the first publication sets ``published_at``,
and the service that saved it queues the "published" e-mail after commit
(``articles.jobs``). Later edits, re-saves and re-publishing after a return
to draft keep the date and send nothing.

The slug is made from the title at creation and then kept: editing the title
never breaks a link that was shared.
"""

import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.jobs import send_article_published_email
from articles.models import Article, Comment, Tag
from articles.selectors import (
    get_tags_by_slug,
    is_article_slug_taken,
    is_tag_slug_taken,
)
from articles.types import ArticleInput, ArticleSaved, ArticleStatus, CommentApproved
from core.exceptions import DomainError, InvalidTransitionError, require_choice
from core.slugs import unique_slug
from users.models import User

logger = logging.getLogger(__name__)

ARTICLE_SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length or 50
TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length or 50
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length or 50


# Articles -----------------------------------------------------------------


def _clean_input(data: ArticleInput) -> ArticleInput:
    title = data.title.strip()
    if not title:
        raise DomainError("An article needs a title.", field="title")
    require_choice(data.status, allowed=ArticleStatus.values, field="status")
    if data.status == ArticleStatus.PUBLISHED and not data.body.strip():
        raise InvalidTransitionError(
            "Write the body before publishing: a published article cannot have "
            "an empty body. Save it as a draft for now.",
            field="body",
        )
    return ArticleInput(
        title=title, body=data.body, status=data.status, tag_names=data.tag_names
    )


def _resolve_tags(names: Iterable[str]) -> list[Tag]:
    """The tags of these names, matched by slug; a new name creates its tag."""
    wanted: dict[str, str] = {}
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        if len(name) > TAG_NAME_MAX_LENGTH:
            raise DomainError(
                f"Tag '{name[:20]}…' is longer than {TAG_NAME_MAX_LENGTH} "
                "characters.",
                field="tags",
            )
        slug = slugify(name)
        if not slug:
            raise DomainError(
                f"Tag '{name}' needs at least one letter or digit.", field="tags"
            )
        if len(slug) > TAG_SLUG_MAX_LENGTH:
            raise DomainError(
                f"Tag '{name[:20]}…' makes a link name longer than "
                f"{TAG_SLUG_MAX_LENGTH} characters: shorten it.",
                field="tags",
            )
        wanted.setdefault(slug, name)
    existing = get_tags_by_slug(slugs=list(wanted))
    return [
        existing.get(slug) or Tag.objects.create(name=name, slug=slug)
        for slug, name in wanted.items()
    ]


def _apply_publication(*, article: Article) -> bool:
    """Stamp the first publication; True if this save publishes the article.

    The one place that knows what "published now" means: the article is
    published and had never been before (``published_at`` is still empty).
    """
    if article.status != ArticleStatus.PUBLISHED or article.published_at:
        return False
    article.published_at = timezone.now()
    return True


def _email_publication(*, article: Article) -> None:
    """Queue the "published" e-mail of a saved article, after commit."""
    transaction.on_commit(
        partial(send_article_published_email.delay, article_id=article.pk)
    )


@transaction.atomic
def create_article(*, actor: User, data: ArticleInput) -> ArticleSaved:
    """Write a new article by ``actor``, published at once if asked."""
    data = _clean_input(data)
    tags = _resolve_tags(data.tag_names)
    article = Article(
        title=data.title,
        body=data.body,
        status=data.status,
        author=actor,
        slug=unique_slug(
            data.title,
            is_taken=is_article_slug_taken,
            max_length=ARTICLE_SLUG_MAX_LENGTH,
            fallback="article",
        ),
    )
    published_now = _apply_publication(article=article)
    article.save()
    article.tags.set(tags)
    if published_now:
        _email_publication(article=article)
    logger.info("%s created article %s (%s)", actor, article.slug, article.status)
    return ArticleSaved(article=article, published_now=published_now)


@transaction.atomic
def update_article(
    *, actor: User, article: Article, data: ArticleInput
) -> ArticleSaved:
    """Change an article's text, status and tags.

    The row is locked and re-read first: the previous state comes from the
    database, never from the instance passed in (the admin hands over one
    its form has already changed), and two concurrent publications cannot
    both see a draft.
    """
    locked = Article.objects.select_for_update().get(pk=article.pk)
    data = _clean_input(data)
    tags = _resolve_tags(data.tag_names)
    locked.title = data.title
    locked.body = data.body
    locked.status = data.status
    published_now = _apply_publication(article=locked)
    locked.save()
    locked.tags.set(tags)
    if published_now:
        _email_publication(article=locked)
    logger.info("%s updated article %s (%s)", actor, locked.slug, locked.status)
    return ArticleSaved(article=locked, published_now=published_now)


@transaction.atomic
def delete_article(*, actor: User, article: Article) -> None:
    """Delete the article with its comments."""
    slug = article.slug
    article.delete()
    logger.info("%s deleted article %s", actor, slug)


# Tags ---------------------------------------------------------------------


def _clean_tag_name(name: str) -> str:
    name = name.strip()
    if not name or not slugify(name):
        raise DomainError(
            "A tag needs a name with at least one letter or digit.", field="name"
        )
    return name


@transaction.atomic
def create_tag(*, actor: User, name: str) -> Tag:
    name = _clean_tag_name(name)
    tag = Tag.objects.create(
        name=name,
        slug=unique_slug(
            name,
            is_taken=is_tag_slug_taken,
            max_length=Tag._meta.get_field("slug").max_length or 50,
            fallback="tag",
        ),
    )
    logger.info("%s created tag %s", actor, tag.slug)
    return tag


@transaction.atomic
def rename_tag(*, actor: User, tag: Tag, name: str) -> Tag:
    """Rename a tag; its slug, and so its filter links, stay the same."""
    tag.name = _clean_tag_name(name)
    tag.save(update_fields=["name"])
    logger.info("%s renamed tag %s", actor, tag.slug)
    return tag


# Comments -----------------------------------------------------------------


@transaction.atomic
def add_comment(*, actor: User, article: Article, body: str) -> Comment:
    """Leave a comment; it waits for the author's or staff's approval."""
    if not article.is_published:
        raise InvalidTransitionError(
            "Comments open once the article is published.", field="body"
        )
    body = body.strip()
    if not body:
        raise DomainError("A comment cannot be empty.", field="body")
    comment = Comment.objects.create(article=article, author=actor, body=body)
    logger.info("%s commented on %s", actor, article.slug)
    return comment


@transaction.atomic
def approve_comment(*, actor: User, comment: Comment) -> CommentApproved:
    """Make a comment visible to everyone; approving twice changes nothing."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.is_approved:
        return CommentApproved(comment=locked, approved_now=False)
    locked.is_approved = True
    locked.save(update_fields=["is_approved", "updated_at"])
    logger.info("%s approved comment %s", actor, locked.pk)
    return CommentApproved(comment=locked, approved_now=True)


@transaction.atomic
def delete_comment(*, actor: User, comment: Comment) -> None:
    comment_id = comment.pk
    comment.delete()
    logger.info("%s deleted comment %s", actor, comment_id)
