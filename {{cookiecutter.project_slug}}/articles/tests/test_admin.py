"""The admin writes through the services, so their rules hold there too."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Comment, Tag
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory

pytestmark = pytest.mark.django_db


def error_messages(response):
    return [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"
    ]


def article_form(**overrides):
    data = {"title": "From the admin", "body": "Text", "status": "draft", "tags": []}
    data.update(overrides)
    return data


def test_adding_a_published_article_mails_once_after_commit(
    admin_client, superuser, mailoutbox, django_capture_on_commit_callbacks
):
    tag = TagFactory.create(name="Django")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("admin:articles_article_add"),
            article_form(status="published", tags=[tag.pk]),
        )
        assert mailoutbox == []
    assert response.status_code == 302
    assert len(callbacks) == 1
    article = Article.objects.get()
    assert re.fullmatch(r"from-the-admin-[a-z0-9]{6}", article.slug)
    assert (article.author, article.status) == (superuser, "published")
    assert article.published_at is not None
    assert list(article.tags.all()) == [tag]
    assert [m.subject for m in mailoutbox] == ["Published: From the admin"]


def test_publishing_a_draft_in_the_admin_mails_once(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    draft = ArticleFactory.create(title="Draft", author__email="ann@example.com")
    change_url = reverse("admin:articles_article_change", args=[draft.pk])
    form = article_form(title="Draft", status="published")
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change_url, form).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change_url, {**form, "body": "New"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.body, draft.author.email) == (
        "published",
        "New",
        "ann@example.com",
    )
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]


def test_publishing_without_a_body_in_the_admin_is_refused(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    draft = ArticleFactory.create(title="Empty", body="")
    change_url = reverse("admin:articles_article_change", args=[draft.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change_url, article_form(title="Empty", body="", status="published")
        )
    assert response.status_code == 200
    assert "A published article needs a body." in str(response.context["errors"])
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert mailoutbox == []


def test_deleting_an_article_in_the_admin(admin_client):
    article = ArticleFactory.create()
    response = admin_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_tags_are_created_and_renamed_in_the_admin(admin_client):
    admin_client.post(reverse("admin:articles_tag_add"), {"name": "Web Dev"})
    tag = Tag.objects.get()
    assert tag.slug == "web-dev"
    admin_client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "Web"}
    )
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Web", "web-dev")


def test_approve_action_goes_through_the_service(admin_client):
    pending = CommentFactory.create_batch(2)
    CommentFactory.create(approved=True)
    response = admin_client.post(
        reverse("admin:articles_comment_changelist"),
        {
            "action": "approve_selected",
            "_selected_action": [c.pk for c in Comment.objects.all()],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "2 comment(s) approved." in [str(m) for m in response.context["messages"]]
    assert all(
        Comment.objects.filter(pk__in=[c.pk for c in pending]).values_list(
            "is_approved", flat=True
        )
    )


def test_the_admin_pages_render(admin_client):
    article = ArticleFactory.create(published=True, tags=[TagFactory.create()])
    comment = CommentFactory.create(article=article)
    for name, args in [
        ("admin:articles_article_changelist", []),
        ("admin:articles_article_add", []),
        ("admin:articles_article_change", [article.pk]),
        ("admin:articles_tag_changelist", []),
        ("admin:articles_comment_changelist", []),
        ("admin:articles_comment_change", [comment.pk]),
    ]:
        response = admin_client.get(reverse(name, args=args))
        assert response.status_code == 200, name
