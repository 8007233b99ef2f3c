"""Plain data that articles services and selectors take and return.

The status choices live here, at the bottom of the layer order, so the
model, its constraints, the forms and the services share one definition.
Models are imported for type checking only: nothing here may need them at
run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from articles.models import Article, Comment


# The most tags one article carries, whoever writes it (a page or the API).
MAX_TAGS = 10


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


@dataclass(frozen=True)
class ArticleInput:
    """What a person writes: the same for creating and for editing.

    ``status`` is one of the ``ArticleStatus`` values; ``tag_names`` are tag
    names as typed (a tag is matched by its slug, and created when it is new).
    """

    title: str
    body: str
    status: str = ArticleStatus.DRAFT
    tag_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArticleFilters:
    """What the article list is narrowed to; empty: everything visible.

    ``q`` is searched in the title and the body; ``tag`` is a tag's slug.
    """

    q: str = ""
    tag: str | None = None


@dataclass(frozen=True)
class ArticleSaved:
    article: Article
    # True only for the save that published the article for the first time:
    # the one that set ``published_at`` and sent the "published" e-mail.
    published_now: bool


@dataclass(frozen=True)
class CommentApproved:
    comment: Comment
    # False when the comment was approved already: nothing changed.
    approved_now: bool
