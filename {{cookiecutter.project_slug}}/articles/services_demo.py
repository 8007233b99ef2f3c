"""Demo articles for ``manage.py seed_demo``, written through the services.

Safe to run twice: when any article exists, nothing is created. The demo
publications send no e-mail unless a ``send_func`` is given.
"""

from django.core.mail import EmailMessage
from django.db import transaction

from articles.models import Article
from articles.selectors import has_articles
from articles.services import add_comment, approve_comment, create_article
from articles.types import ArticleInput
from core.email import SendFunc
from users.models import User

PUBLISHED = Article.Status.PUBLISHED
DRAFT = Article.Status.DRAFT


def _discard(message: EmailMessage) -> None:
    """Demo data e-mails nobody."""


DEMO_ARTICLES = [
    # (author key, title, status, tags, body)
    (
        "author",
        "Thin views, fat services",
        PUBLISHED,
        ("Django", "Architecture"),
        "Views read the request and pick the response. Everything else has a "
        "better home: selectors for reads, services for writes, permissions "
        "for policy.",
    ),
    (
        "author",
        "One query strategy for every list",
        PUBLISHED,
        ("Django", "Performance"),
        "Join the author, prefetch the tags, and the list costs the same number "
        "of queries for ten articles as for a thousand.",
    ),
    (
        "other",
        "Testing each layer on its own",
        PUBLISHED,
        ("Testing", "Architecture"),
        "Permissions need no database, services need a transaction, views only "
        "need their wiring checked.",
    ),
    (
        "author",
        "Notes for a future article",
        DRAFT,
        ("Django",),
        "Only the author and staff can read a draft.",
    ),
]


@transaction.atomic
def seed_articles_demo(
    *, author: User, other: User, send_func: SendFunc | None = None
) -> int:
    """Create demo tags, articles and comments once; return the articles made."""
    if has_articles():
        return 0
    writers = {"author": author, "other": other}
    articles = [
        create_article(
            actor=writers[writer],
            data=ArticleInput(title=title, body=body, status=status, tag_names=tags),
            send_func=send_func or _discard,
        ).article
        for writer, title, status, tags, body in DEMO_ARTICLES
    ]
    first = articles[0]
    approved = add_comment(
        actor=other, article=first, body="Clear and to the point, thank you."
    )
    approve_comment(actor=author, comment=approved)
    add_comment(
        actor=other, article=first, body="What about the admin? (waiting for approval)"
    )
    return len(articles)
