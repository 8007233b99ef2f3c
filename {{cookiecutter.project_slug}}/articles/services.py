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
never breaks a link that was shared. Every article slug ends in a short random
suffix (``my-title-k3x9qz``), so the slug someone gets never depends on the
drafts they cannot see. Slugs are unique in the database; an insert that loses
a race for one retries with another slug inside a savepoint, so a concurrent
create never fails. An edit made from a stale form is refused
(``ConflictError``) with the fields that changed meanwhile.
"""

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from articles.jobs import send_article_published_email
from articles.models import Article, Comment, Tag
from articles.selectors import (
    get_tags_by_slug,
    is_article_slug_taken,
    is_tag_slug_taken,
)
from articles.types import ArticleInput, ArticleSaved, ArticleStatus, CommentApproved
from core.exceptions import (
    ConflictError,
    DomainError,
    InvalidTransitionError,
    require_choice,
)
from core.slugs import unique_slug
from core.versions import changed_fields
from users.models import User

logger = logging.getLogger(__name__)

ARTICLE_SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length or 50
TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length or 50
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length or 50
# The random end of every article slug: 36**6, some two billion choices.
SLUG_SUFFIX_LENGTH = 6
SLUG_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"
# Inserts that may lose a race for a slug before the service gives up.
SLUG_ATTEMPTS = 5

NO_BODY_TO_PUBLISH = (
    "Write the body before publishing: a published article cannot have "
    "an empty body. Save it as a draft for now."
)

# How a conflict message names each edited field.
_FIELD_NAMES = {"title": "title", "body": "text", "status": "status", "tags": "tags"}


def _insert_with_free_slug(
    row: Article | Tag, *, make_slug: Callable[[], str], is_taken: Callable[[str], bool]
) -> None:
    """Insert ``row`` under a slug from ``make_slug`` that nobody holds.

    Another transaction can take the slug between the choice and the insert:
    the unique constraint then refuses the row, the savepoint undoes that
    insert alone, and the next attempt asks ``make_slug`` again.
    """
    for _ in range(SLUG_ATTEMPTS):
        row.slug = make_slug()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            if not is_taken(row.slug):
                raise  # another constraint refused the row
        else:
            return
    raise ConflictError(
        "Others were saving under the same name at the same moment: "
        "nothing was saved. Please try again.",
        field="title" if isinstance(row, Article) else "name",
    )


# Articles -----------------------------------------------------------------


def _clean_input(data: ArticleInput) -> ArticleInput:
    title = data.title.strip()
    if not title:
        raise DomainError("An article needs a title.", field="title")
    require_choice(data.status, allowed=ArticleStatus.values, field="status")
    if data.status == ArticleStatus.PUBLISHED and not data.body.strip():
        raise InvalidTransitionError(NO_BODY_TO_PUBLISH, field="body")
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
        existing.get(slug) or _create_tag_of_slug(slug=slug, name=name)
        for slug, name in wanted.items()
    ]


def _create_tag_of_slug(*, slug: str, name: str) -> Tag:
    """A new tag; if a concurrent save has just created it, that one."""
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, slug=slug)
    except IntegrityError:
        tag = get_tags_by_slug(slugs=[slug]).get(slug)
        if tag is None:
            raise
        return tag


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


def _article_slug(title: str) -> str:
    """The title's slug with a random suffix, cut to fit the column."""
    suffix = get_random_string(SLUG_SUFFIX_LENGTH, allowed_chars=SLUG_SUFFIX_CHARS)
    room = ARTICLE_SLUG_MAX_LENGTH - len(suffix) - 1
    base = slugify(title)[:room].strip("-") or "article"
    return f"{base}-{suffix}"


@transaction.atomic
def create_article(*, actor: User, data: ArticleInput) -> ArticleSaved:
    """Write a new article by ``actor``, published at once if asked."""
    data = _clean_input(data)
    tags = _resolve_tags(data.tag_names)
    article = Article(
        title=data.title, body=data.body, status=data.status, author=actor
    )
    published_now = _apply_publication(article=article)
    _insert_with_free_slug(
        article,
        make_slug=partial(_article_slug, data.title),
        is_taken=is_article_slug_taken,
    )
    article.tags.set(tags)
    if published_now:
        _email_publication(article=article)
    logger.info("%s created article %s (%s)", actor, article.slug, article.status)
    return ArticleSaved(article=article, published_now=published_now)


def _lock(article: Article) -> Article:
    """The article's row, locked until the transaction ends."""
    locked = Article.objects.select_for_update().filter(pk=article.pk).first()
    if locked is None:
        raise ConflictError(
            f"The article “{article.title}” was deleted meanwhile: nothing was "
            "saved."
        )
    return locked


def _refuse_stale_edit(*, locked: Article, version: str) -> None:
    """Refuse input made from another state of the article than the stored one."""
    changed = changed_fields(version=version, current=locked.edit_version())
    if not changed:
        return
    names = [_FIELD_NAMES[name] for name in changed]
    fields = " and ".join([", ".join(names[:-1]), names[-1]] if names[1:] else names)
    raise ConflictError(
        f"This article changed while you were editing it: its {fields}. "
        "Nothing was saved, and your changes are kept below: save again to "
        "overwrite the article with them."
    )


@transaction.atomic
def update_article(
    *, actor: User, article: Article, data: ArticleInput, version: str | None = None
) -> ArticleSaved:
    """Change an article's text, status and tags.

    The row is locked and re-read first: the previous state comes from the
    database, never from the instance passed in (the admin hands over one
    its form has already changed), and two concurrent publications cannot
    both see a draft.

    ``version`` is the ``Article.edit_version()`` of the article the person's
    form showed. If one of those values has changed since, nothing is written
    and ``ConflictError`` names them, so nobody undoes a colleague's edit
    unknowingly. Without it (the admin) the input is applied to what is stored.
    """
    locked = _lock(article)
    if version is not None:
        _refuse_stale_edit(locked=locked, version=version)
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
def publish_article(*, actor: User, article: Article) -> ArticleSaved:
    """Publish the article as it stands; publishing a published one changes nothing.

    The same transition as an edit that sets the status: the row locked and
    re-read, a body required, the first publication dated and mailed.
    """
    locked = _lock(article)
    if locked.is_published:
        return ArticleSaved(article=locked, published_now=False)
    if not locked.body.strip():
        raise InvalidTransitionError(NO_BODY_TO_PUBLISH, field="body")
    locked.status = ArticleStatus.PUBLISHED
    published_now = _apply_publication(article=locked)
    locked.save(update_fields=["status", "published_at", "updated_at"])
    if published_now:
        _email_publication(article=locked)
    logger.info("%s published article %s", actor, locked.slug)
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
    """A new tag under the next free slug (``django``, ``django-2``, ...)."""
    name = _clean_tag_name(name)
    tag = Tag(name=name)
    _insert_with_free_slug(
        tag,
        make_slug=partial(
            unique_slug,
            name,
            is_taken=is_tag_slug_taken,
            max_length=TAG_SLUG_MAX_LENGTH,
            fallback="tag",
        ),
        is_taken=is_tag_slug_taken,
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
    """Leave a comment; it waits for the approval of the author or a moderator.

    The article is locked first, so it cannot be unpublished or deleted
    while the comment is written.
    """
    article = _lock(article)
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
    locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if locked is None:
        raise ConflictError("That comment was deleted meanwhile.")
    if locked.is_approved:
        return CommentApproved(comment=locked, approved_now=False)
    locked.is_approved = True
    locked.save(update_fields=["is_approved", "updated_at"])
    logger.info("%s approved comment %s", actor, locked.pk)
    return CommentApproved(comment=locked, approved_now=True)


@transaction.atomic
def delete_comment(*, actor: User, comment: Comment) -> None:
    """Reject a pending comment or remove an approved one: either way it is gone.

    Deleting a comment deleted meanwhile changes nothing.
    """
    comment_id = comment.pk
    comment.delete()
    logger.info("%s deleted comment %s", actor, comment_id)
