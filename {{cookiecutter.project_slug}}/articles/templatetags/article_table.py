"""The article list's rows, written in Python as Django's admin writes its list.

Through the template language a row with its tags costs more than the
page's queries. Here a row is one ``format_html``, its values escaped the
same way.
"""

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from core.templatetags.pages import time_element

register = template.Library()

ROW = (
    "<tr>"
    '<td><a href="{}{}/">{}</a>{}</td>'
    "<td>{}</td>"
    "<td>{}</td>"
    "<td>{}</td>"
    "</tr>"
)
DRAFT = mark_safe(' <span class="badge badge--draft">Draft</span>')
NO_TAGS = mark_safe('<span class="muted">—</span>')
NOT_PUBLISHED = mark_safe('<span class="muted">Not yet</span>')


@register.simple_tag
def article_rows(articles: Iterable[Article], list_url: str) -> SafeString:
    """The ``<tr>`` of each article; its page is the list's address and its slug.

    A tag links to the list narrowed to it.
    """
    return format_html_join(
        "\n", ROW, (_cells(article, list_url) for article in articles)
    )


def _cells(article: Article, list_url: str) -> tuple[object, ...]:
    tags = format_html_join(
        " ",
        '<a class="badge" href="{}?tag={}">{}</a>',
        ((list_url, quote(tag.slug), tag.name) for tag in article.tags.all()),
    )
    published = article.published_at
    return (
        list_url,
        article.slug,
        article.title,
        "" if article.is_published else DRAFT,
        article.author.get_username(),
        tags or NO_TAGS,
        time_element(timezone.localtime(published)) if published else NOT_PUBLISHED,
    )
