"""The "published" e-mail: queued once after commit, sent once, while published.

The test settings run jobs in-process right after the commit; a mail error
is retried at once, at most ``JOBS_MAX_RETRIES`` (2) times.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from articles.jobs import send_article_published_email
from articles.models import Article
from articles.services import create_article, update_article
from articles.tests.factories import ArticleFactory
from articles.types import ArticleInput
from core.models import FailedJob, SentEmail
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLISHED = Article.Status.PUBLISHED


@pytest.fixture
def author(db):
    return UserFactory.create(username="writer", email="writer@example.com")


@pytest.fixture
def queued(monkeypatch) -> list[dict]:
    """The job's arguments, each time a service queues it (and nothing runs)."""
    calls: list[dict] = []
    monkeypatch.setattr(
        send_article_published_email, "delay", lambda **kwargs: calls.append(kwargs)
    )
    return calls


def published(**overrides) -> ArticleInput:
    return ArticleInput(
        **{"title": "Hello", "body": "World.", "status": PUBLISHED, **overrides}
    )


# The services queue the job -----------------------------------------------


def test_publishing_queues_the_job_once_after_commit_with_the_id(
    author, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        created = create_article(actor=author, data=published())
    assert queued == []  # not before the commit

    for callback in callbacks:
        callback()
    assert queued == [{"article_id": created.article.pk}]


def test_a_draft_and_later_edits_queue_nothing(
    author, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = create_article(
            actor=author, data=published(status=Article.Status.DRAFT)
        ).article
        update_article(actor=author, article=draft, data=published())
        update_article(actor=author, article=draft, data=published(title="Again"))
    assert queued == [{"article_id": draft.pk}]


def test_a_rolled_back_publication_queues_nothing(
    author, queued, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        create_article(actor=author, data=published())
        raise RuntimeError("a later step failed")
    assert callbacks == []
    assert queued == []


# The job ------------------------------------------------------------------


def test_running_twice_sends_one_mail(author, mailoutbox):
    article = ArticleFactory.create(author=author, published=True, title="Hello")

    first = send_article_published_email.delay(article_id=article.pk)
    second = send_article_published_email.delay(article_id=article.pk)

    assert (first.get(), second.get()) == ("sent", "skipped: sent already")
    [message] = mailoutbox
    assert message.subject == "Published: Hello"
    assert message.to == ["writer@example.com"]
    assert SentEmail.objects.get().key == f"articles.published:{article.pk}"


def test_an_article_back_to_draft_or_gone_is_not_mailed(author, mailoutbox):
    draft = ArticleFactory.create(author=author)
    gone = ArticleFactory.create(author=author, published=True)
    gone_id = gone.pk
    gone.delete()

    assert send_article_published_email.delay(article_id=draft.pk).get() == (
        "skipped: the article is gone or back to draft"
    )
    send_article_published_email.delay(article_id=gone_id)
    assert mailoutbox == []


def test_a_title_with_line_breaks_cannot_break_the_subject(author, mailoutbox):
    article = ArticleFactory.create(
        author=author, published=True, title="Hi\r\nBcc: all@example.com"
    )

    send_article_published_email.delay(article_id=article.pk)

    [message] = mailoutbox
    assert message.subject == "Published: Hi Bcc: all@example.com"
    assert message.bcc == []


class MailServer:
    """Stands in for the mail backend: refuses while ``down`` says so."""

    def __init__(self) -> None:
        self.down = 0
        self.attempts = 0

    def send(self, message) -> None:
        self.attempts += 1
        if self.down:
            self.down -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        message.send(fail_silently=False)


@pytest.fixture
def mail_server(monkeypatch) -> MailServer:
    server = MailServer()
    monkeypatch.setattr("core.email.send_with_backend", server.send)
    return server


def test_a_mail_error_is_retried_and_the_mail_arrives_once(
    author, mailoutbox, mail_server
):
    article = ArticleFactory.create(author=author, published=True)
    mail_server.down = settings.JOBS_MAX_RETRIES

    assert send_article_published_email.delay(article_id=article.pk).get() == "sent"

    assert mail_server.attempts == settings.JOBS_MAX_RETRIES + 1
    assert len(mailoutbox) == 1


def test_publishing_with_the_mail_server_down_succeeds_and_the_replay_mails(
    client, author, mailoutbox, mail_server, django_capture_on_commit_callbacks
):
    mail_server.down = 100
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:create"),
            {"title": "Hello", "body": "World.", "status": PUBLISHED, "tags": ""},
        )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_published
    failed = FailedJob.objects.get()
    assert (failed.name, failed.kwargs) == (
        "articles.jobs.send_article_published_email",
        {"article_id": article.pk},
    )
    assert mailoutbox == []

    mail_server.down = 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_jobs")
    assert [message.subject for message in mailoutbox] == ["Published: Hello"]
