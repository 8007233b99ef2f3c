"""REST API throughput: every list and detail endpoint vs a bare JSON endpoint.

Run from a baked project's folder (``api=drf``) with its virtualenv's Python,
with PostgreSQL on the machine:

    cd acme_newsroom
    .venv/bin/python ../scripts/bench_api.py --tasks 10000

It makes a database of its own (dropped at the end) holding one organization
with ``--tasks`` tasks, one task's history and 50 pending invitations, and
1,000 published articles (three tags each, 100 comments on one, half of them
waiting for approval), and serves the project with gunicorn on the
production settings, plus one URL only this benchmark adds:
``/bench/bare/``, a plain Django view answering a constant JSON body, in the
same processes, behind the same middleware.
Requests carry a personal access token (knox), as a script would; the API's
throttling is off (the benchmark is one caller asking as fast as it can).
Side by side in one run: each round measures every endpoint for
``--seconds`` in turn, with ``--clients`` client processes; the figure is
the median over ``--rounds`` rounds of requests per second, and the bare
endpoint's divided by each one's.

It prints one JSON line per endpoint: ``{"endpoint", "path", "rps", "ratio"}``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SETTINGS = """\
from config.settings.prod import *  # noqa: F403
from config.settings.prod import REST_FRAMEWORK

ROOT_URLCONF = "bench_site.urls"
SECURE_SSL_REDIRECT = False  # plain HTTP on the loopback
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
"""
URLS = """\
from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as site


def bare(request):
    return JsonResponse({"ok": True, "items": []})


urlpatterns = [path("bench/bare/", bare), *site]
"""
SEED = """\
import json
from datetime import date, timedelta
from django.utils import timezone
from articles.models import Article, Comment, Tag
from knox.models import AuthToken
from orgs.models import Invite, Membership, Organization
from tasks.models import Task, TaskEvent
from users.models import User

count = int(__COUNT__)
owner = User.objects.create_user(username="bench", email="bench@example.com")
helper = User.objects.create_user(username="helper", email="helper@example.com")
org = Organization.objects.create(name="Bench", slug="bench")
Membership.objects.create(organization=org, user=owner, role=Membership.Role.ADMIN)
Membership.objects.create(organization=org, user=helper, role=Membership.Role.MEMBER)
Task.objects.bulk_create(
    Task(
        organization=org,
        title=f"Task {n}",
        description="Something to do " * 5,
        status=("todo", "in_progress", "done")[n % 3],
        priority=1 + n % 4,
        assigned_to=(owner, helper, None)[n % 3],
        created_by=owner,
        updated_by=owner,
        due_date=date(2030, 1, 1 + n % 28),
    )
    for n in range(count)
)
task = Task.objects.filter(organization=org).order_by("id").first()
TaskEvent.objects.bulk_create(
    TaskEvent(organization=org, task=task, actor=owner, action="updated")
    for _ in range(50)
)
Invite.objects.bulk_create(
    Invite(
        organization=org,
        email=f"invitee{n}@example.com",
        token=f"bench-{n}",
        invited_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    for n in range(50)
)
tags = [Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(5)]
articles = Article.objects.bulk_create(
    Article(
        title=f"Article {n}",
        slug=f"article-{n}",
        body="Some text worth reading. " * 20,
        status="published",
        author=(owner, helper)[n % 2],
        published_at=timezone.now() - timedelta(minutes=n),
    )
    for n in range(1000)
)
Article.tags.through.objects.bulk_create(
    Article.tags.through(article_id=article.pk, tag_id=tag.pk)
    for n, article in enumerate(articles)
    for tag in tags[n % 3 : n % 3 + 3]
)
article = articles[0]
Comment.objects.bulk_create(
    Comment(article=article, author=helper, body=f"Comment {n}", is_approved=n % 2 == 0)
    for n in range(100)
)
_, token = AuthToken.objects.create(user=owner)
print(
    json.dumps(
        {"token": token, "org": org.slug, "task": task.pk, "article": article.slug}
    )
)
"""


def create_database(admin_url: str, name: str, *, drop: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        statement = (
            "DROP DATABASE IF EXISTS {} WITH (FORCE)" if drop else "CREATE DATABASE {}"
        )
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _client(args: tuple[int, str, str, float]) -> tuple[int, int]:
    """Requests until the deadline, one connection each (gunicorn's sync workers)."""
    port, path, token, seconds = args
    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    done = errors = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status == 200:
            done += 1
        else:
            errors += 1
    return done, errors


def measure(
    pool, port: int, path: str, token: str, *, clients: int, seconds: float
) -> float:
    start = time.perf_counter()
    results = pool.map(_client, [(port, path, token, seconds)] * clients)
    elapsed = time.perf_counter() - start
    done = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    if errors:
        raise SystemExit(f"{path}: {errors} answers were not 200")
    return done / elapsed


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()

    project = Path.cwd()
    name = f"bench_api_{uuid.uuid4().hex[:8]}"
    database_url = args.postgres.rsplit("/", 1)[0] + "/" + name
    create_database(args.postgres, name)
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        site = Path(tmp) / "bench_site"
        site.mkdir()
        (site / "__init__.py").write_text("")
        (site / "settings.py").write_text(SETTINGS)
        (site / "urls.py").write_text(URLS)
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join([tmp, str(project)]),
            "DJANGO_SETTINGS_MODULE": "bench_site.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "DATABASE_SSL_REQUIRE": "false",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        }
        python = sys.executable
        try:
            subprocess.run(
                [python, "manage.py", "migrate", "-v", "0"], env=env, check=True
            )
            seeded = subprocess.run(
                [
                    python,
                    "manage.py",
                    "shell",
                    "-c",
                    SEED.replace("__COUNT__", str(args.tasks)),
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            seed = json.loads(seeded.stdout.strip().splitlines()[-1])
            port = free_port()
            server = subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.workers),
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_for(port)
                base = f"/api/v1/orgs/{seed['org']}/tasks/"
                endpoints = [
                    ("bare JSON", "/bench/bare/"),
                    ("tasks: list", base),
                    ("tasks: list, filtered", base + "?status=todo&priority=2&q=Task"),
                    ("tasks: list, last page", base + f"?page={args.tasks // 20}"),
                    ("tasks: detail", f"{base}{seed['task']}/"),
                    ("tasks: events", f"{base}{seed['task']}/events/"),
                    ("orgs: list", "/api/v1/orgs/"),
                    ("orgs: detail", f"/api/v1/orgs/{seed['org']}/"),
                    ("orgs: members", f"/api/v1/orgs/{seed['org']}/members/"),
                    ("orgs: invites", f"/api/v1/orgs/{seed['org']}/invites/"),
                    ("articles: list", "/api/v1/articles/"),
                    (
                        "articles: list, filtered",
                        "/api/v1/articles/?q=Article&tag=tag-1",
                    ),
                    ("articles: detail", f"/api/v1/articles/{seed['article']}/"),
                    (
                        "articles: comments",
                        f"/api/v1/articles/{seed['article']}/comments/",
                    ),
                    (
                        "articles: pending comments",
                        f"/api/v1/articles/{seed['article']}/comments/pending/",
                    ),
                ]
                rates: dict[str, list[float]] = {name: [] for name, _ in endpoints}
                with multiprocessing.Pool(args.clients) as pool:
                    for _, path in endpoints:  # warm up every worker
                        measure(
                            pool,
                            port,
                            path,
                            seed["token"],
                            clients=args.clients,
                            seconds=0.5,
                        )
                    for _ in range(args.rounds):
                        for endpoint, path in endpoints:
                            rates[endpoint].append(
                                measure(
                                    pool,
                                    port,
                                    path,
                                    seed["token"],
                                    clients=args.clients,
                                    seconds=args.seconds,
                                )
                            )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            create_database(args.postgres, name, drop=True)
    bare = statistics.median(rates["bare JSON"])
    for endpoint, path in endpoints:
        rps = statistics.median(rates[endpoint])
        print(
            json.dumps(
                {
                    "endpoint": endpoint,
                    "path": path,
                    "rps": round(rps, 1),
                    "ratio": round(bare / rps, 2),
                    "rounds": args.rounds,
                    "tasks": args.tasks,
                    "workers": args.workers,
                    "clients": args.clients,
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
