"""Performance figures of the baked project's tasks app.

Run from a baked project's folder with its virtualenv's Python:

    cd acme_newsroom
    DJANGO_SETTINGS_MODULE=config.settings.test python ../scripts/bench_tasks.py

It uses an in-memory SQLite database and prints one JSON line per figure:

* queries issued by the task list page with 10 and with 10,000 tasks (the
  same number, at most a handful, whatever the number of tasks);
* peak Python memory (tracemalloc) while streaming the CSV export of 1,000
  and of 100,000 tasks (about the same: rows are streamed in chunks).
"""

from __future__ import annotations

import json
import os
import sys
import tracemalloc
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ["DATABASE_URL"] = "sqlite://:memory:"
sys.path.insert(0, str(Path.cwd()))

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)
from django.urls import reverse  # noqa: E402
from orgs.models import Membership, Organization  # noqa: E402
from tasks.models import Task  # noqa: E402
from users.models import User  # noqa: E402

BATCH = 5_000


def emit(**figure: object) -> None:
    print(json.dumps(figure), flush=True)


def fill(organization: Organization, people: list[User], total: int) -> None:
    """Bring the organization to ``total`` tasks, straight into the table."""
    have = Task.objects.filter(organization=organization).count()
    while have < total:
        size = min(BATCH, total - have)
        Task.objects.bulk_create(
            Task(
                organization=organization,
                title=f"Task {n}" if n % 7 else f"=Formula {n}",
                description="A description long enough to look like one. " * 3,
                status=("todo", "in_progress", "done")[n % 3],
                priority=n % 4 + 1,
                assigned_to=people[n % len(people)] if n % 5 else None,
                created_by=people[0],
                updated_by=people[0],
            )
            for n in range(have, have + size)
        )
        have += size


def list_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def export_peak_mb(client: Client, path: str) -> tuple[float, int]:
    """Peak traced memory while the export is produced and read to the end."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    response = client.get(path)
    lines = 0
    for chunk in response.streaming_content:  # type: ignore[attr-defined]
        lines += chunk.count(b"\n")
    response.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024, lines


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_user(username="bench-admin", password="x")
    member = User.objects.create_user(username="bench-member", password="x")
    organization = Organization.objects.create(name="Bench", slug="bench")
    Membership.objects.create(user=admin, organization=organization, role="admin")
    Membership.objects.create(user=member, organization=organization, role="member")
    people = [admin, member]

    client = Client()
    client.force_login(admin)
    list_path = reverse("tasks:list", kwargs={"org_slug": "bench"})
    export_path = reverse("tasks:export", kwargs={"org_slug": "bench"})

    for total in (10, 10_000):
        fill(organization, people, total)
        client.get(list_path)  # warm up: templates, URL resolvers
        emit(
            figure="task list queries",
            tasks=total,
            queries=list_queries(client, list_path),
            filtered_queries=list_queries(client, f"{list_path}?status=done&page=9"),
        )

    Task.objects.all().delete()
    for total in (1_000, 100_000):
        fill(organization, people, total)
        mb, lines = export_peak_mb(client, export_path)
        assert lines == total + 1, (lines, total)
        emit(figure="csv export peak memory MB", tasks=total, mb=round(mb, 1))


if __name__ == "__main__":
    main()
