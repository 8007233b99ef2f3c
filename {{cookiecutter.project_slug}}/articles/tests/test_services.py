"""Article and comment workflows: every rule, and nothing written on refusal."""

from typing import Any

import pytest
from django.db import transaction

from articles.models import Article, Comment, Tag
from articles.services import (
    add_comment,
    approve_comment,
    create_article,
    create_tag,
    delete_article,
    delete_comment,
    rename_tag,
    update_article,
)
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from articles.types import ArticleInput
from core.exceptions import DomainError, InvalidTransitionError, NotPermittedError
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT
PUBLISHED = Article.Status.PUBLISHED


def data(**overrides) -> ArticleInput:
    values: dict[str, Any] = {
        "title": "Hello",
        "body": "World.",
        "status": DRAFT,
        "tag_names": (),
    }
    values.update(overrides)
    return ArticleInput(**values)


@pytest.fixture
def author(db):
    return UserFactory.create(username="writer", email="writer@example.com")


@pytest.fixture
def publish(author, capture_send, django_capture_on_commit_callbacks):
    """Run a service with the fake sender, running on-commit callbacks."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(send_func=capture_send, **kwargs)

    return run


# create_article -----------------------------------------------------------


def test_create_a_draft(author, publish, sent_messages):
    result = publish(
        create_article,
        actor=author,
        data=data(title="  First post ", tag_names=("Django", "django", "Web dev")),
    )
    article = Article.objects.get()
    assert result.article == article
    assert result.published_now is False
    assert (article.title, article.slug, article.status) == (
        "First post",
        "first-post",
        DRAFT,
    )
    assert article.author == author
    assert article.published_at is None
    assert sorted(article.tags.values_list("slug", flat=True)) == ["django", "web-dev"]
    assert sent_messages == []


def test_create_published_stamps_the_date_and_mails_once_after_commit(
    author, capture_send, sent_messages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = create_article(
            actor=author, data=data(status=PUBLISHED), send_func=capture_send
        )
        assert sent_messages == []  # nothing before the commit
    assert len(callbacks) == 1
    assert result.published_now is True
    article = Article.objects.get()
    assert article.published_at is not None
    assert len(sent_messages) == 1
    message = sent_messages[0]
    assert message.to == ["writer@example.com"]
    assert message.subject == "Published: Hello"
    assert "http://testserver/articles/hello/" in message.body


def test_slugs_stay_unique_and_avoid_reserved_words(author):
    slugs = [
        create_article(actor=author, data=data(title=title)).article.slug
        for title in ["Hello", "hello", "New", "!!!"]
    ]
    assert slugs == ["hello", "hello-2", "new-2", "article"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"status": "archived"}, "status"),
        ({"tag_names": ("???",)}, "tags"),
        ({"tag_names": ("x" * 51,)}, "tags"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(author, overrides, field):
    with pytest.raises(DomainError) as refused:
        create_article(actor=author, data=data(**overrides))
    assert refused.value.field == field
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n "])
def test_publishing_without_a_body_is_refused(author, publish, sent_messages, body):
    with pytest.raises(InvalidTransitionError) as refused:
        publish(
            create_article,
            actor=author,
            data=data(body=body, status=PUBLISHED, tag_names=("New tag",)),
        )
    assert refused.value.field == "body"
    assert "body" in refused.value.message
    assert not Article.objects.exists()
    assert not Tag.objects.exists()
    assert sent_messages == []


def test_anonymous_may_not_create(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotPermittedError):
        create_article(actor=AnonymousUser(), data=data())  # type: ignore[arg-type]
    assert not Article.objects.exists()


# update_article: the publish transition -----------------------------------


def test_publishing_a_draft_stamps_the_date_and_mails_once(
    author, publish, sent_messages
):
    draft = ArticleFactory.create(author=author, title="Hello", slug="hello")
    result = publish(
        update_article, actor=author, article=draft, data=data(status=PUBLISHED)
    )
    assert result.published_now is True
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    assert draft.published_at is not None
    assert [m.subject for m in sent_messages] == ["Published: Hello"]


def test_later_edits_and_resaves_keep_the_date_and_send_nothing(
    author, publish, sent_messages
):
    article = publish(create_article, actor=author, data=data(status=PUBLISHED)).article
    first_published_at = article.published_at
    sent_messages.clear()

    edited = publish(
        update_article,
        actor=author,
        article=article,
        data=data(title="Hello again", body="Edited.", status=PUBLISHED),
    )
    resaved = publish(
        update_article,
        actor=author,
        article=article,
        data=data(title="Hello again", body="Edited.", status=PUBLISHED),
    )
    assert (edited.published_now, resaved.published_now) == (False, False)
    article.refresh_from_db()
    assert article.published_at == first_published_at
    assert (article.title, article.slug) == ("Hello again", "hello")  # slug kept
    assert sent_messages == []


def test_republishing_after_a_return_to_draft_keeps_the_first_date(
    author, publish, sent_messages
):
    article = publish(create_article, actor=author, data=data(status=PUBLISHED)).article
    first_published_at = article.published_at
    publish(update_article, actor=author, article=article, data=data(status=DRAFT))
    again = publish(
        update_article, actor=author, article=article, data=data(status=PUBLISHED)
    )
    assert again.published_now is False
    article.refresh_from_db()
    assert article.published_at == first_published_at
    assert len(sent_messages) == 1  # the first publication only


def test_a_rolled_back_publication_sends_nothing(
    author, capture_send, sent_messages, django_capture_on_commit_callbacks
):
    draft = ArticleFactory.create(author=author)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        update_article(
            actor=author,
            article=draft,
            data=data(status=PUBLISHED),
            send_func=capture_send,
        )
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert sent_messages == []
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (DRAFT, None)


def test_publishing_an_empty_draft_is_refused_and_writes_nothing(
    author, publish, sent_messages
):
    draft = ArticleFactory.create(author=author, title="Empty", body="")
    with pytest.raises(InvalidTransitionError) as refused:
        publish(
            update_article,
            actor=author,
            article=draft,
            data=data(title="Changed", body="", status=PUBLISHED, tag_names=("X",)),
        )
    assert refused.value.field == "body"
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.published_at) == ("Empty", DRAFT, None)
    assert not draft.tags.exists()
    assert sent_messages == []


def test_update_reads_the_previous_state_from_the_database(
    author, publish, sent_messages
):
    """An instance already changed in memory (as the admin's is) still publishes."""
    draft = ArticleFactory.create(author=author)
    draft.status = PUBLISHED  # changed by a form, not saved
    result = publish(
        update_article, actor=author, article=draft, data=data(status=PUBLISHED)
    )
    assert result.published_now is True
    assert len(sent_messages) == 1


def test_update_replaces_the_tags(author):
    article = ArticleFactory.create(
        author=author, tags=[TagFactory.create(name="Old", slug="old")]
    )
    update_article(actor=author, article=article, data=data(tag_names=("Fresh", "OLD")))
    assert sorted(article.tags.values_list("name", flat=True)) == ["Fresh", "Old"]


def test_staff_may_edit_others_may_not(author):
    article = ArticleFactory.create(author=author, title="Mine")
    staff = UserFactory.create(is_staff=True)
    update_article(actor=staff, article=article, data=data(title="By staff"))
    with pytest.raises(NotPermittedError):
        update_article(
            actor=UserFactory.create(), article=article, data=data(title="Nope")
        )
    article.refresh_from_db()
    assert article.title == "By staff"


def test_no_mail_when_nobody_has_an_address(publish, sent_messages):
    author = UserFactory.create(email="")
    result = publish(create_article, actor=author, data=data(status=PUBLISHED))
    assert result.published_now is True
    assert sent_messages == []


def test_the_notify_setting_adds_recipients(settings, author, publish, sent_messages):
    settings.ARTICLES_PUBLISHED_NOTIFY = ["desk@example.com", "WRITER@example.com"]
    publish(create_article, actor=author, data=data(status=PUBLISHED))
    assert sent_messages[0].to == ["writer@example.com", "desk@example.com"]


def test_without_send_func_the_mail_backend_sends(
    author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create_article(actor=author, data=data(status=PUBLISHED))
    assert [m.to for m in mailoutbox] == [["writer@example.com"]]


# delete_article -----------------------------------------------------------


def test_delete_article_with_its_comments(author):
    article = ArticleFactory.create(author=author, published=True)
    CommentFactory.create(article=article)
    delete_article(actor=author, article=article)
    assert not Article.objects.exists()
    assert not Comment.objects.exists()


def test_only_author_or_staff_may_delete(author):
    article = ArticleFactory.create(author=author)
    with pytest.raises(NotPermittedError):
        delete_article(actor=UserFactory.create(), article=article)
    assert Article.objects.filter(pk=article.pk).exists()
    delete_article(actor=UserFactory.create(is_staff=True), article=article)
    assert not Article.objects.exists()


# tags ---------------------------------------------------------------------


def test_create_and_rename_tag(author):
    tag = create_tag(actor=author, name="  Web Dev ")
    assert (tag.name, tag.slug) == ("Web Dev", "web-dev")
    assert create_tag(actor=author, name="web dev").slug == "web-dev-2"
    rename_tag(actor=author, tag=tag, name="Web development")
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == ("Web development", "web-dev")
    with pytest.raises(DomainError) as refused:
        create_tag(actor=author, name="?!")
    assert refused.value.field == "name"


# comments -----------------------------------------------------------------


def test_add_comment_waits_for_approval(author):
    article = ArticleFactory.create(published=True)
    comment = add_comment(actor=author, article=article, body="  Nice.  ")
    assert (comment.body, comment.is_approved, comment.author) == (
        "Nice.",
        False,
        author,
    )


def test_comments_on_a_draft_or_empty_are_refused(author):
    draft = ArticleFactory.create(author=author)
    with pytest.raises(InvalidTransitionError):
        add_comment(actor=author, article=draft, body="Too early")
    with pytest.raises(DomainError) as refused:
        add_comment(
            actor=author, article=ArticleFactory.create(published=True), body="  "
        )
    assert refused.value.field == "body"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("approver", ["author", "staff"])
def test_author_or_staff_approve_a_comment_once(approver):
    comment = CommentFactory.create()
    actor = (
        comment.article.author
        if approver == "author"
        else UserFactory.create(is_staff=True)
    )
    first = approve_comment(actor=actor, comment=comment)
    again = approve_comment(actor=actor, comment=comment)
    assert (first.approved_now, again.approved_now) == (True, False)
    comment.refresh_from_db()
    assert comment.is_approved is True


def test_others_may_not_approve_or_delete_a_comment():
    comment = CommentFactory.create()
    with pytest.raises(NotPermittedError):
        approve_comment(actor=comment.author, comment=comment)
    with pytest.raises(NotPermittedError):
        delete_comment(actor=comment.author, comment=comment)
    comment.refresh_from_db()
    assert comment.is_approved is False
    delete_comment(actor=comment.article.author, comment=comment)
    assert not Comment.objects.exists()
