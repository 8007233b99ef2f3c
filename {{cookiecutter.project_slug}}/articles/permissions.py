"""Who may do what with articles and comments.

Pure functions of the objects passed in: no query, no request, so every rule
is tested without a database. ``user`` may be anonymous.

The rule is the same for editing, deleting and approving comments: the
article's author, or staff. An author moderates the conversation under their
own article; staff moderate everything.
"""

from django.contrib.auth.models import AnonymousUser

from articles.models import Article
from users.models import User

AnyUser = User | AnonymousUser


def _is_author_or_staff(user: AnyUser, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_staff) or article.author_id == user.pk


def can_create_article(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated)


def can_edit_article(*, user: AnyUser, article: Article) -> bool:
    return _is_author_or_staff(user, article)


def can_delete_article(*, user: AnyUser, article: Article) -> bool:
    return _is_author_or_staff(user, article)


def can_comment_on_article(*, user: AnyUser, article: Article) -> bool:
    """Signed-in people comment on published articles only."""
    return bool(user.is_authenticated) and article.is_published


def can_approve_comments(*, user: AnyUser, article: Article) -> bool:
    """Approve, or delete, the comments of this article."""
    return _is_author_or_staff(user, article)
