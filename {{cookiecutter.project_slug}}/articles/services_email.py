"""The "article published" e-mail.

Recipients: the article's author (a receipt, with the public link to share),
plus the addresses in the optional ``ARTICLES_PUBLISHED_NOTIFY`` setting (an
editor's desk, say). Nothing is sent when nobody has an address.

Services register this with ``transaction.on_commit`` only, never call it
inside their transaction.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from articles.models import Article
from core.email import send_email


def _article_url(*, article: Article) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "articles:detail", kwargs={"slug": article.slug}
    )


def _published_recipients(*, article: Article) -> list[str]:
    extra = getattr(settings, "ARTICLES_PUBLISHED_NOTIFY", ())
    recipients: list[str] = []
    for address in [article.author.email, *extra]:
        if address and address.lower() not in {r.lower() for r in recipients}:
            recipients.append(address)
    return recipients


def send_article_published_email(*, article: Article) -> EmailMessage | None:
    recipients = _published_recipients(article=article)
    if not recipients:
        return None
    published_at = article.published_at
    when = f" on {published_at:%Y-%m-%d %H:%M %Z}" if published_at else ""
    return send_email(
        subject=f"Published: {article.title}",
        body=(
            f'"{article.title}" by {article.author.get_username()} was '
            f"published{when}.\n\n"
            f"Read it here: {_article_url(article=article)}\n"
        ),
        to=recipients,
    )
