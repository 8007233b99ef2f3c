"""Plain data that articles services take and return.

Models are imported for type checking only: types sit below models in the
layer order, so nothing here may need them at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from articles.models import Article, Comment


@dataclass(frozen=True)
class ArticleInput:
    """What a person writes: the same for creating and for editing.

    ``status`` is one of ``Article.Status`` values; ``tag_names`` are tag names
    as typed (a tag is matched by its slug, and created when it is new).
    """

    title: str
    body: str
    status: str
    tag_names: tuple[str, ...] = ()


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
