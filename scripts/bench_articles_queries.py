"""Count the queries of the article list page for 10 and for 1,000 articles.

Run it from a baked project's folder with that project's Python:

    cd acme_newsroom
    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python \
        ../scripts/bench_articles_queries.py

It migrates a fresh in-memory SQLite database (whatever DATABASE_URL says),
creates the articles, each with several tags, asks for /articles/ as an
anonymous visitor through Django's test client and prints one JSON line per
size. The figure is good when both sizes give the same count, at most 4.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

SIZES = (10, 1000)
TAGS_PER_ARTICLE = 4


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DATABASE_URL"] = "sqlite://:memory:"  # never a real database
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()


def main() -> int:
    setup_django()

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    Article = apps.get_model("articles", "Article")
    Tag = apps.get_model("articles", "Tag")
    User = get_user_model()

    call_command("migrate", verbosity=0, interactive=False)
    author = User.objects.create_user(username="bench", email="bench@example.com")
    tags = Tag.objects.bulk_create(
        Tag(name=f"Tag {i}", slug=f"tag-{i}") for i in range(TAGS_PER_ARTICLE * 2)
    )
    article_tag = Article.tags.through
    now = timezone.now()
    client = Client()
    list_url = reverse("articles:list")

    created = 0
    for size in SIZES:
        new = Article.objects.bulk_create(
            Article(
                title=f"Article {n}",
                slug=f"article-{n}",
                body=f"Body of article {n}.",
                status=Article.Status.PUBLISHED,
                author=author,
                published_at=now - timedelta(minutes=n),
            )
            for n in range(created, size)
        )
        article_tag.objects.bulk_create(
            article_tag(article_id=article.pk, tag_id=tags[(i + k) % len(tags)].pk)
            for i, article in enumerate(new)
            for k in range(TAGS_PER_ARTICLE)
        )
        created = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url)
        if response.status_code != 200:
            print(f"GET {list_url} answered {response.status_code}", file=sys.stderr)
            return 1
        print(
            json.dumps(
                {
                    "figure": "article list queries",
                    "articles": size,
                    "queries": len(queries),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
