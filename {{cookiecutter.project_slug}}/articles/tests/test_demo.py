"""The demo data is written through the services, once."""

import pytest

from articles.models import Article, Comment
from articles.services_demo import seed_articles_demo
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_articles_demo_is_idempotent(
    mailoutbox, django_capture_on_commit_callbacks
):
    author, other = UserFactory.create(), UserFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        created = seed_articles_demo(author=author, other=other)
    assert created == Article.objects.count() == 4
    assert Article.objects.filter(status="draft").count() == 1
    assert Article.objects.filter(published_at__isnull=False).count() == 3
    assert [c.is_approved for c in Comment.objects.order_by("id")] == [True, False]
    assert mailoutbox == []  # demo data e-mails nobody
    assert seed_articles_demo(author=author, other=other) == 0
    assert Article.objects.count() == 4
