"""The articles' jobs: the "article published" e-mail.

Recipients: the article's author (a receipt, with the public link to share),
plus the addresses in the optional ``ARTICLES_PUBLISHED_NOTIFY`` setting (an
editor's desk, say). Nothing is sent when nobody has an address.

The services queue ``send_article_published_email`` after the commit of an
article's first publication, with its id. The job reads the article afresh
and mails only while it is still published, once per article: a retried or
duplicated job sends nothing more.
"""

from django.conf import settings
from django.urls import reverse

from articles.models import Article
from articles.selectors import get_published_article
from core.email import send_email_once
from core.jobs import job


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


@job
def send_article_published_email(*, article_id: int) -> str:
    """Mail the article's first publication, if it is still published."""
    article = get_published_article(article_id=article_id)
    if article is None:
        return "skipped: the article is gone or back to draft"
    recipients = _published_recipients(article=article)
    if not recipients:
        return "skipped: nobody to mail"
    published_at = article.published_at
    when = f" on {published_at:%Y-%m-%d %H:%M %Z}" if published_at else ""
    sent = send_email_once(
        key=f"articles.published:{article.pk}",
        subject=f"Published: {article.title}",
        body=(
            f'"{article.title}" by {article.author.get_username()} was '
            f"published{when}.\n\n"
            f"Read it here: {_article_url(article=article)}\n"
        ),
        to=recipients,
    )
    return "sent" if sent else "skipped: sent already"
