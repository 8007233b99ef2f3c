"""The people and articles the page and API tests of articles share."""

import pytest

from articles.tests.factories import ArticleFactory
from users.tests.factories import UserFactory


@pytest.fixture
def author(db):
    return UserFactory.create(username="writer")


@pytest.fixture
def stranger(db):
    return UserFactory.create(username="stranger")


@pytest.fixture
def published(author):
    return ArticleFactory.create(
        author=author, published=True, title="Public news", slug="news"
    )


@pytest.fixture
def draft(author):
    return ArticleFactory.create(author=author, title="Secret draft", slug="secret")
