"""Peak memory of the baked project's streaming CSV export of tasks.

Run from a baked project's folder with its virtualenv's Python:

    cd acme_newsroom
    DJANGO_SETTINGS_MODULE=config.settings.test python ../scripts/bench_csv_export.py

It uses an in-memory SQLite database and prints one JSON line per size: the
peak Python memory (tracemalloc) while the export of 1,000 and of 100,000
tasks is produced and read to the end. The two stay close because rows are
streamed in chunks; no test asserts it (the query counts of the list and the
export are asserted by the baked project's own ``tasks/tests/test_queries.py``).
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
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from orgs.models import Membership, Organization  # noqa: E402
from tasks.models import Task  # noqa: E402
from users.models import User  # noqa: E402

SIZES = (1_000, 100_000)
BATCH = 5_000


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

    client = Client()
    client.force_login(admin)
    export_path = reverse("tasks:export", kwargs={"org_slug": "bench"})
    export_peak_mb(client, export_path)  # warm up: imports, URL resolvers
    for total in SIZES:
        fill(organization, [admin, member], total)
        mb, lines = export_peak_mb(client, export_path)
        assert lines == total + 1, (lines, total)
        print(json.dumps({"tasks": total, "mb": round(mb, 1)}), flush=True)


if __name__ == "__main__":
    main()
