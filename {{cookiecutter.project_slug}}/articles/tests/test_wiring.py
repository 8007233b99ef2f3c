"""The article views hand the work to the layers and show what they answer.

Layer tests: an edit from a stale form, and services refusing because a row
was deleted meanwhile.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles import views
from articles.models import Article
from articles.tests.factories import ArticleFactory, CommentFactory, grant
from core.exceptions import ConflictError
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"articles:{name}", kwargs=kwargs)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def author(db):
    return UserFactory.create(username="writer")


@pytest.fixture
def article(author):
    return ArticleFactory.create(author=author, title="Draft", slug="draft")


def test_a_stale_edit_is_409_with_the_input_kept_and_the_version_renewed(
    client, author, article
):
    client.force_login(author)
    seen = client.get(url("edit", slug="draft")).context["form"]["version"].value()
    editor = grant(UserFactory.create(), "change_article")
    client.force_login(editor)
    client.post(
        url("edit", slug="draft"),
        {"title": "Draft", "body": "Fixed.", "status": "draft"},
    )

    client.force_login(author)
    mine = {"title": "My title", "body": "Mine.", "status": "draft", "version": seen}
    response = client.post(url("edit", slug="draft"), mine)
    assert response.status_code == 409
    form = response.context["form"]
    assert form.non_field_errors() == [
        "This article changed while you were editing it: its text. Nothing was "
        "saved, and your changes are kept below: save again to overwrite the "
        "article with them."
    ]
    assert (form["title"].value(), form["body"].value()) == ("My title", "Mine.")
    article.refresh_from_db()
    assert (article.title, article.body) == ("Draft", "Fixed.")

    again = client.post(
        url("edit", slug="draft"), {**mine, "version": form["version"].value()}
    )
    assert again.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("My title", "Mine.")


def test_editing_an_article_deleted_meanwhile_goes_back_to_the_list(
    client, author, article, monkeypatch
):
    def deleted_meanwhile(**kwargs):
        Article.objects.filter(pk=article.pk).delete()
        raise ConflictError("The article “Draft” was deleted meanwhile.")

    monkeypatch.setattr(views, "update_article", deleted_meanwhile)
    client.force_login(author)
    response = client.post(
        url("edit", slug="draft"), {"title": "T", "body": "", "status": "draft"}
    )
    assert response["Location"] == url("list")
    assert messages_of(response) == ["The article “Draft” was deleted meanwhile."]


def test_approving_a_comment_deleted_meanwhile_says_so(client, monkeypatch):
    comment = CommentFactory.create()
    slug = comment.article.slug

    def deleted_meanwhile(**kwargs):
        raise ConflictError("That comment was deleted meanwhile.")

    monkeypatch.setattr(views, "approve_comment", deleted_meanwhile)
    client.force_login(comment.article.author)
    response = client.post(url("comment_approve", slug=slug, comment_id=comment.pk))
    assert response["Location"] == url("detail", slug=slug)
    assert messages_of(response) == ["That comment was deleted meanwhile."]
