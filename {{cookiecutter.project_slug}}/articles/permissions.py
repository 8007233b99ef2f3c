"""Who may do what with articles and comments.

Pure functions of the objects passed in: no query, no request, so every rule
is tested without a database. ``user`` may be anonymous.

An article's author edits it, deletes it and moderates the comments under
it. Anyone else needs Django's model permission for that power, the one the
admin asks for too: ``articles.change_article`` to edit,
``articles.delete_article`` to delete, ``articles.change_comment`` to approve
comments, ``articles.delete_comment`` to reject or remove them. Staff status
alone grants none of them (superusers have them all). ``user.has_perm`` reads
the permissions the auth backend has cached on the user.
"""

from django.contrib.auth.models import AnonymousUser

from articles.models import Article
from users.models import User

AnyUser = User | AnonymousUser


def _is_author(user: AnyUser, article: Article) -> bool:
    return bool(user.is_authenticated) and article.author_id == user.pk


def can_create_article(*, user: AnyUser) -> bool:
    return bool(user.is_authenticated)


def can_edit_article(*, user: AnyUser, article: Article) -> bool:
    return _is_author(user, article) or user.has_perm("articles.change_article")


def can_delete_article(*, user: AnyUser, article: Article) -> bool:
    return _is_author(user, article) or user.has_perm("articles.delete_article")


def can_comment_on_article(*, user: AnyUser, article: Article) -> bool:
    """Signed-in people comment on published articles only."""
    return bool(user.is_authenticated) and article.is_published


def can_approve_comments(*, user: AnyUser, article: Article) -> bool:
    """Approve the comments of this article (the approval changes a comment)."""
    return _is_author(user, article) or user.has_perm("articles.change_comment")


def can_delete_comments(*, user: AnyUser, article: Article) -> bool:
    """Reject a pending comment of this article or remove an approved one."""
    return _is_author(user, article) or user.has_perm("articles.delete_comment")


def can_view_pending_comments(*, user: AnyUser, article: Article) -> bool:
    """See the comments waiting for approval: whoever may approve or reject them."""
    return can_approve_comments(user=user, article=article) or can_delete_comments(
        user=user, article=article
    )
