"""The articles pages cost the same number of queries for 3 rows as for 60.

Layer tests: the counts follow from the selectors' one loading strategy
(the author joined, the tags prefetched) whoever asks.
"""

import pytest

from articles.models import Article, Comment
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from articles.tests.test_views import url
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def add_articles(count, *, author, tags):
    """``count`` published articles with all ``tags`` each, in a few queries."""
    articles = Article.objects.bulk_create(
        ArticleFactory.build_batch(count, author=author, published=True)
    )
    ArticleTag = Article.tags.through
    ArticleTag.objects.bulk_create(
        ArticleTag(article_id=article.pk, tag_id=tag.pk)
        for article in articles
        for tag in tags
    )


def add_comments(count, *, article, approved):
    Comment.objects.bulk_create(
        CommentFactory.build_batch(
            count, article=article, author=article.author, is_approved=approved
        )
    )


# Anonymous list: page of articles (author joined; no count, the page says
# "Page 2" and reads one row more), their tags, the tag choices. Signed in:
# the session and the user come first, and the user's permissions (their own
# and their groups', in one query, once a request).
LIST_QUERIES = {"anonymous": 3, "reader": 6, "author": 6}
# Anonymous detail: article (author joined), tags, approved comments (authors
# joined). Signed in: + session, user, permissions; the author also gets the
# pending ones.
DETAIL_QUERIES = {"anonymous": 3, "reader": 6, "author": 7}


@pytest.mark.parametrize("who", ["anonymous", "reader", "author"])
def test_list_and_detail_queries_do_not_grow_with_the_data(
    client, django_assert_num_queries, who
):
    author = UserFactory.create()
    tags = [TagFactory.create(name=f"Tag {i}") for i in range(4)]
    ArticleFactory.create(author=author)  # a draft, listed for its author only
    add_articles(3, author=author, tags=tags)
    detail = Article.objects.filter(status="published").first()
    assert detail is not None
    add_comments(1, article=detail, approved=True)
    add_comments(1, article=detail, approved=False)
    if who != "anonymous":
        client.force_login(author if who == "author" else UserFactory.create())

    for total, comments in [(3, 1), (60, 30)]:
        if total > 3:
            add_articles(total - 3, author=author, tags=tags)
            add_comments(comments - 1, article=detail, approved=True)
            add_comments(comments - 1, article=detail, approved=False)
        with django_assert_num_queries(LIST_QUERIES[who]):
            response = client.get(url("list"))
        shown = total + (who == "author")
        assert len(response.context["articles"]) == min(shown, 10)
        assert all(len(a.tags.all()) == 4 for a in response.context["articles"][1:])
        with django_assert_num_queries(DETAIL_QUERIES[who]):
            response = client.get(url("detail", slug=detail.slug))
        assert len(response.context["comments"]) == comments
