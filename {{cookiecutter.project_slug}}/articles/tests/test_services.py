"""Article and comment workflows: every rule, and nothing written on refusal.

Who may call them is decided at the edge: the 403s are in ``test_views.py``,
the rules in ``test_permissions.py``.
"""

import re
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, transaction

from articles.models import Article, Comment, Tag
from articles.services import (
    add_comment,
    approve_comment,
    create_article,
    create_tag,
    delete_article,
    delete_comment,
    publish_article,
    rename_tag,
    update_article,
)
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from articles.types import ArticleInput
from core.exceptions import ConflictError, DomainError, InvalidTransitionError
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
def committed(django_capture_on_commit_callbacks):
    """Run a service, then its on-commit callbacks, as a real commit would."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


# create_article -----------------------------------------------------------


def test_create_a_draft(author, committed, mailoutbox):
    result = committed(
        create_article,
        actor=author,
        data=data(title="  First post ", tag_names=("Django", "django", "Web dev")),
    )
    article = Article.objects.get()
    assert result.article == article
    assert result.published_now is False
    assert (article.title, article.status) == ("First post", DRAFT)
    assert re.fullmatch(r"first-post-[a-z0-9]{6}", article.slug)
    assert article.author == author
    assert article.published_at is None
    assert sorted(article.tags.values_list("slug", flat=True)) == ["django", "web-dev"]
    assert mailoutbox == []


def test_create_published_stamps_the_date_and_mails_once_after_commit(
    author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = create_article(actor=author, data=data(status=PUBLISHED))
        assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert result.published_now is True
    article = Article.objects.get()
    assert article.published_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["writer@example.com"]
    assert message.subject == "Published: Hello"
    assert f"http://testserver/articles/{article.slug}/" in message.body


def test_slugs_end_in_a_random_suffix_and_fit_their_column(author):
    slugs = [
        create_article(actor=author, data=data(title=title)).article.slug
        # "½" slugifies to "12": a title that grows past the slug column
        for title in ["Hello", "hello", "New", "!!!", "½" * 200]
    ]
    assert [slug.rsplit("-", 1)[0] for slug in slugs[:4]] == [
        "hello",
        "hello",
        "new",
        "article",
    ]
    assert len(set(slugs)) == 5
    assert all(re.fullmatch(r"[a-z0-9-]+-[a-z0-9]{6}", slug) for slug in slugs)
    assert len(slugs[4]) == Article._meta.get_field("slug").max_length


def test_a_hidden_draft_does_not_change_the_slug_someone_else_gets(author):
    """The slug is the title's plus a random suffix, whatever drafts exist."""
    ArticleFactory.create(title="Merger", slug="merger")  # someone's draft
    with mock.patch("articles.services.get_random_string", return_value="abc123"):
        slug = create_article(actor=author, data=data(title="Merger")).article.slug
    assert slug == "merger-abc123"  # as it would be without the draft


def test_a_lost_race_for_a_slug_retries_with_another_one(author):
    """Another save took the slug after it was drawn: retried, never a 500."""
    ArticleFactory.create(slug="hello-aaaaaa")
    drawn = iter(["aaaaaa", "bbbbbb"])
    # Inside a caller's transaction, which the refused insert must not break.
    with (
        mock.patch(
            "articles.services.get_random_string",
            side_effect=lambda *a, **k: next(drawn),
        ),
        transaction.atomic(),
    ):
        article = create_article(actor=author, data=data()).article
    assert article.slug == "hello-bbbbbb"
    assert Article.objects.count() == 2


def test_losing_every_race_for_a_slug_is_a_conflict(author):
    ArticleFactory.create(slug="hello-aaaaaa")
    with (
        mock.patch("articles.services.get_random_string", return_value="aaaaaa"),
        pytest.raises(ConflictError, match="try again") as refused,
    ):
        create_article(actor=author, data=data())
    assert refused.value.field == "title"
    assert Article.objects.count() == 1


def test_another_integrity_error_is_not_taken_for_a_lost_race(author):
    with (
        mock.patch.object(Article, "save", side_effect=IntegrityError("check")),
        pytest.raises(IntegrityError),
    ):
        create_article(actor=author, data=data())


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
def test_publishing_without_a_body_is_refused(author, committed, mailoutbox, body):
    with pytest.raises(InvalidTransitionError) as refused:
        committed(
            create_article,
            actor=author,
            data=data(body=body, status=PUBLISHED, tag_names=("New tag",)),
        )
    assert refused.value.field == "body"
    assert "body" in refused.value.message
    assert not Article.objects.exists()
    assert not Tag.objects.exists()
    assert mailoutbox == []


# update_article: the publish transition -----------------------------------


def test_publishing_a_draft_stamps_the_date_and_mails_once(
    author, committed, mailoutbox
):
    draft = ArticleFactory.create(author=author, title="Hello", slug="hello")
    result = committed(
        update_article, actor=author, article=draft, data=data(status=PUBLISHED)
    )
    assert result.published_now is True
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    assert draft.published_at is not None
    assert [m.subject for m in mailoutbox] == ["Published: Hello"]


def test_later_edits_and_resaves_keep_the_date_and_send_nothing(
    author, committed, mailoutbox
):
    article = committed(
        create_article, actor=author, data=data(status=PUBLISHED)
    ).article
    first_published_at = article.published_at
    mailoutbox.clear()

    edited = committed(
        update_article,
        actor=author,
        article=article,
        data=data(title="Hello again", body="Edited.", status=PUBLISHED),
    )
    resaved = committed(
        update_article,
        actor=author,
        article=article,
        data=data(title="Hello again", body="Edited.", status=PUBLISHED),
    )
    assert (edited.published_now, resaved.published_now) == (False, False)
    first_slug = article.slug
    article.refresh_from_db()
    assert article.published_at == first_published_at
    assert (article.title, article.slug) == ("Hello again", first_slug)  # kept
    assert mailoutbox == []


def test_republishing_after_a_return_to_draft_keeps_the_first_date(
    author, committed, mailoutbox
):
    article = committed(
        create_article, actor=author, data=data(status=PUBLISHED)
    ).article
    first_published_at = article.published_at
    committed(update_article, actor=author, article=article, data=data(status=DRAFT))
    again = committed(
        update_article, actor=author, article=article, data=data(status=PUBLISHED)
    )
    assert again.published_now is False
    article.refresh_from_db()
    assert article.published_at == first_published_at
    assert len(mailoutbox) == 1  # the first publication only


def test_a_rolled_back_publication_sends_nothing(
    author, mailoutbox, django_capture_on_commit_callbacks
):
    draft = ArticleFactory.create(author=author)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        update_article(actor=author, article=draft, data=data(status=PUBLISHED))
        raise RuntimeError("something later in the same transaction failed")
    assert callbacks == []
    assert mailoutbox == []
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (DRAFT, None)


def test_publishing_an_empty_draft_is_refused_and_writes_nothing(
    author, committed, mailoutbox
):
    draft = ArticleFactory.create(author=author, title="Empty", body="")
    with pytest.raises(InvalidTransitionError) as refused:
        committed(
            update_article,
            actor=author,
            article=draft,
            data=data(title="Changed", body="", status=PUBLISHED, tag_names=("X",)),
        )
    assert refused.value.field == "body"
    draft.refresh_from_db()
    assert (draft.title, draft.status, draft.published_at) == ("Empty", DRAFT, None)
    assert not draft.tags.exists()
    assert mailoutbox == []


def test_update_reads_the_previous_state_from_the_database(
    author, committed, mailoutbox
):
    """An instance already changed in memory (as the admin's is) still publishes."""
    draft = ArticleFactory.create(author=author)
    draft.status = PUBLISHED  # changed by a form, not saved
    result = committed(
        update_article, actor=author, article=draft, data=data(status=PUBLISHED)
    )
    assert result.published_now is True
    assert len(mailoutbox) == 1


def test_a_tag_whose_slug_would_not_fit_its_column_is_refused(author):
    """Sixteen "㎉" fit a name, but slugify to "kcal" 16 times: 64 characters."""
    with pytest.raises(DomainError) as refused:
        create_article(actor=author, data=data(tag_names=("㎉" * 16,)))
    assert refused.value.field == "tags"
    assert "60 characters" in refused.value.message
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_update_replaces_the_tags(author):
    article = ArticleFactory.create(
        author=author, tags=[TagFactory.create(name="Old", slug="old")]
    )
    update_article(actor=author, article=article, data=data(tag_names=("Fresh", "OLD")))
    assert sorted(article.tags.values_list("name", flat=True)) == ["Fresh", "Old"]


def test_an_edit_by_staff_keeps_the_author_and_mails_the_author(
    author, committed, mailoutbox
):
    article = ArticleFactory.create(author=author, title="Mine")
    staff = UserFactory.create(is_staff=True, email="staff@example.com")
    committed(
        update_article,
        actor=staff,
        article=article,
        data=data(title="By staff", status=PUBLISHED),
    )
    article.refresh_from_db()
    assert (article.title, article.author) == ("By staff", author)
    assert [m.to for m in mailoutbox] == [["writer@example.com"]]


def test_no_mail_when_nobody_has_an_address(committed, mailoutbox):
    author = UserFactory.create(email="")
    result = committed(create_article, actor=author, data=data(status=PUBLISHED))
    assert result.published_now is True
    assert mailoutbox == []


def test_the_notify_setting_adds_recipients(settings, author, committed, mailoutbox):
    settings.ARTICLES_PUBLISHED_NOTIFY = ["desk@example.com", "WRITER@example.com"]
    committed(create_article, actor=author, data=data(status=PUBLISHED))
    assert [m.to for m in mailoutbox] == [["writer@example.com", "desk@example.com"]]


# stale input ----------------------------------------------------------------


def test_an_edit_from_a_stale_version_is_refused_and_says_what_changed(author):
    article = ArticleFactory.create(author=author, title="Hello", body="World.")
    seen = article.edit_version()  # the author opens the form
    editor = UserFactory.create(is_staff=True)
    update_article(
        actor=editor, article=article, data=data(body="Fixed.", tag_names=("News",))
    )
    with pytest.raises(ConflictError) as refused:
        update_article(
            actor=author, article=article, data=data(title="Mine"), version=seen
        )
    assert refused.value.message == (
        "This article changed while you were editing it: its text and tags. "
        "Nothing was saved, and your changes are kept below: save again to "
        "overwrite the article with them."
    )
    article.refresh_from_db()
    assert (article.title, article.body) == ("Hello", "Fixed.")


def test_an_edit_from_the_current_version_goes_through(author):
    article = ArticleFactory.create(author=author, tags=[TagFactory.create()])
    fresh = Article.objects.prefetch_related("tags").get(pk=article.pk)
    result = update_article(
        actor=author,
        article=fresh,
        data=data(title="Mine"),
        version=fresh.edit_version(),
    )
    assert result.article.title == "Mine"


def test_editing_an_article_deleted_meanwhile_is_a_conflict(author):
    article = ArticleFactory.create(author=author, title="Gone")
    stale = Article.objects.get(pk=article.pk)
    article.delete()
    with pytest.raises(ConflictError, match="“Gone” was deleted meanwhile"):
        update_article(actor=author, article=stale, data=data())
    with pytest.raises(ConflictError, match="deleted meanwhile"):
        add_comment(actor=author, article=stale, body="Hello?")


# publish_article ----------------------------------------------------------


def test_publish_article_dates_and_mails_the_first_publication_only(
    author, committed, mailoutbox
):
    draft = ArticleFactory.create(author=author, title="Scoop")
    first = committed(publish_article, actor=author, article=draft)
    again = committed(publish_article, actor=author, article=draft)
    draft.refresh_from_db()
    assert (first.published_now, again.published_now) == (True, False)
    assert draft.status == PUBLISHED
    assert draft.published_at is not None
    assert [m.subject for m in mailoutbox] == ["Published: Scoop"]


def test_republishing_after_a_return_to_draft_keeps_the_date(author, committed):
    article = ArticleFactory.create(author=author, published=True)
    first_date = article.published_at
    Article.objects.filter(pk=article.pk).update(status=DRAFT)
    result = committed(publish_article, actor=author, article=article)
    article.refresh_from_db()
    assert (result.published_now, article.status) == (False, PUBLISHED)
    assert article.published_at == first_date


def test_publishing_without_a_body_is_refused_and_writes_nothing(author):
    draft = ArticleFactory.create(author=author, body="  ")
    with pytest.raises(InvalidTransitionError, match="empty body") as refused:
        publish_article(actor=author, article=draft)
    assert refused.value.field == "body"
    draft.refresh_from_db()
    assert (draft.status, draft.published_at) == (DRAFT, None)


def test_publishing_an_article_deleted_meanwhile_is_a_conflict(author):
    draft = ArticleFactory.create(author=author)
    Article.objects.filter(pk=draft.pk).delete()
    with pytest.raises(ConflictError, match="deleted meanwhile"):
        publish_article(actor=author, article=draft)


# delete_article -----------------------------------------------------------


def test_delete_article_with_its_comments(author):
    article = ArticleFactory.create(author=author, published=True)
    CommentFactory.create(article=article)
    delete_article(actor=author, article=article)
    assert not Article.objects.exists()
    assert not Comment.objects.exists()


def test_delete_article_leaves_the_other_articles(author):
    kept = ArticleFactory.create(author=author)
    gone = ArticleFactory.create(author=author)
    delete_article(actor=UserFactory.create(is_staff=True), article=gone)
    assert list(Article.objects.all()) == [kept]


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


def test_a_tag_that_loses_a_race_for_its_slug_takes_the_next_free_one(author):
    TagFactory.create(name="Django", slug="django")
    # The check ran before the other tag was saved: the insert is refused.
    answers = iter([False])
    with (
        mock.patch(
            "articles.services.is_tag_slug_taken",
            side_effect=lambda slug: next(
                answers, Tag.objects.filter(slug=slug).exists()
            ),
        ),
        transaction.atomic(),
    ):
        tag = create_tag(actor=author, name="django")
    assert tag.slug == "django-2"


def test_a_new_tag_created_meanwhile_by_another_save_is_used(author):
    """Two articles with the same new tag at once: one tag, no error."""
    other = TagFactory.create(name="Fresh", slug="fresh")
    with (
        mock.patch(
            "articles.services.get_tags_by_slug", side_effect=[{}, {"fresh": other}]
        ),
        transaction.atomic(),
    ):
        article = create_article(actor=author, data=data(tag_names=("fresh",))).article
    assert list(article.tags.all()) == [other]
    assert Tag.objects.count() == 1


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


@pytest.mark.parametrize("approver", ["author", "moderator"])
def test_author_or_moderator_approve_a_comment_once(approver):
    comment = CommentFactory.create()
    actor = comment.article.author if approver == "author" else UserFactory.create()
    first = approve_comment(actor=actor, comment=comment)
    again = approve_comment(actor=actor, comment=comment)
    assert (first.approved_now, again.approved_now) == (True, False)
    comment.refresh_from_db()
    assert comment.is_approved is True


def test_approving_a_comment_deleted_meanwhile_is_a_conflict():
    comment = CommentFactory.create()
    stale = Comment.objects.get(pk=comment.pk)
    comment.delete()
    with pytest.raises(ConflictError, match="deleted meanwhile"):
        approve_comment(actor=stale.article.author, comment=stale)


def test_delete_comment_leaves_the_article_and_its_other_comments():
    comment = CommentFactory.create()
    other = CommentFactory.create(article=comment.article)
    delete_comment(actor=comment.article.author, comment=comment)
    assert list(Comment.objects.all()) == [other]
    assert Article.objects.filter(pk=comment.article.pk).exists()


def test_deleting_a_comment_deleted_meanwhile_changes_nothing():
    comment = CommentFactory.create(approved=True)
    stale = Comment.objects.get(pk=comment.pk)
    comment.delete()
    delete_comment(actor=stale.article.author, comment=stale)
    assert not Comment.objects.exists()
