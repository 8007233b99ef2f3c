"""Page throughput under load: each page's requests per second vs a bare view.

Run from a baked project's folder with its virtualenv's Python, with
PostgreSQL on the machine and wrk (Debian: ``apt-get install wrk``) on PATH:

    cd acme_newsroom
    .venv/bin/python ../scripts/bench_pages.py --tasks 10000 --small 100

It makes a database of its own (dropped at the end) holding two
organizations, one with ``--tasks`` tasks and one with ``--small`` tasks,
``--articles`` published articles, and serves the project with gunicorn on
the production settings (static files collected first), plus one URL only
this benchmark adds: ``/bench/bare/``, a plain Django view answering a
constant body, in the same processes, behind the same middleware. Requests
carry a signed-in member's session cookie. Side by side in one run: each
round measures every page with wrk for ``--seconds`` in turn (``--clients``
connections); the figure is the median over ``--rounds`` rounds of requests
per second, and the bare view's divided by each page's. Beside it, the
workers' CPU time per request (from /proc), which the load of other programs
on the machine changes much less than the rates.

It prints one JSON line per page: ``{"page", "path", "rps", "ratio",
"cpu_ms", "cpu_ratio", ...}``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from bench_api import create_database, free_port, wait_for

SETTINGS = """\
from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "bench_site.urls"
SECURE_SSL_REDIRECT = False  # plain HTTP on the loopback
STATIC_ROOT = __STATIC_ROOT__
"""
URLS = """\
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site]
"""
SEED = """\
import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone
from importlib import import_module

from articles.models import Article, Tag
from orgs.models import Membership, Organization
from tasks.models import Task, TaskEvent
from users.models import User

big, small, articles = int(__TASKS__), int(__SMALL__), int(__ARTICLES__)
owner = User.objects.create_user(username="bench", email="bench@example.com")
helpers = [
    User.objects.create_user(username=f"helper{n}", email=f"helper{n}@example.com")
    for n in range(5)
]
people = [owner, *helpers, None]


def organization(name, count):
    org = Organization.objects.create(name=name, slug=name.lower())
    Membership.objects.create(organization=org, user=owner, role=Membership.Role.ADMIN)
    for helper in helpers:
        Membership.objects.create(
            organization=org, user=helper, role=Membership.Role.MEMBER
        )
    Task.objects.bulk_create(
        Task(
            organization=org,
            title=f"Task {n}",
            description="Something to do " * 5,
            status=("todo", "in_progress", "done")[n % 3],
            priority=1 + n % 4,
            assigned_to=people[n % len(people)],
            created_by=people[(n + 1) % (len(people) - 1)],
            updated_by=owner,
            due_date=date(2030, 1, 1 + n % 28),
        )
        for n in range(count)
    )
    task = Task.objects.filter(organization=org).order_by("id")[count // 2]
    TaskEvent.objects.bulk_create(
        TaskEvent(
            organization=org,
            task=task,
            actor=people[n % (len(people) - 1)],
            action="updated",
            details={"fields": ["title"], "from": {"title": "a"}, "to": {"title": "b"}},
        )
        for n in range(20)
    )
    return org, task


big_org, task = organization("Big", big)
small_org, _ = organization("Small", small)
tags = [Tag.objects.create(name=f"Tag {n}", slug=f"tag-{n}") for n in range(10)]
now = timezone.now()
made = Article.objects.bulk_create(
    Article(
        title=f"Article {n}",
        slug=f"article-{n}",
        body="A paragraph of news. " * 40,
        status="published",
        author=people[n % (len(people) - 1)],
        published_at=now - timedelta(minutes=n),
    )
    for n in range(articles)
)
Article.tags.through.objects.bulk_create(
    Article.tags.through(article_id=article.pk, tag_id=tags[n % 10].pk)
    for n, article in enumerate(made)
)

session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(owner.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
session.create()
print(
    json.dumps(
        {
            "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
            "big": big_org.slug,
            "small": small_org.slug,
            "task": task.pk,
        }
    )
)
"""

RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
DONE = re.compile(r"(\d+) requests in")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors: (.*)")


def vacuum(database_url: str) -> None:
    """Planner statistics and visibility maps as autovacuum keeps them on a site."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("VACUUM ANALYZE")


def check_page(port: int, path: str, cookie: str) -> None:
    """One request first: a page that does not answer 200 is no figure."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}: {body[:300]!r}")


def wrk(
    binary: str, port: int, path: str, cookie: str, *, clients: int, seconds: int
) -> tuple[float, int]:
    """Requests per second, and how many requests were answered."""
    proc = subprocess.run(
        [
            binary,
            "--threads",
            "1",
            "--connections",
            str(clients),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--header",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    bad = NON_2XX.search(proc.stdout)
    if bad:
        raise SystemExit(f"{path}: {bad.group(1)} answers were not 2xx/3xx")
    errors = SOCKET_ERRORS.search(proc.stdout)
    # A sync worker closes each connection after its answer: wrk counts the
    # reconnections as neither. Anything else is a failure.
    if errors and re.search(r"(read|write|timeout) [1-9]", errors.group(1)):
        raise SystemExit(f"{path}: socket errors: {errors.group(1)}")
    rate, done = RATE.search(proc.stdout), DONE.search(proc.stdout)
    if rate is None or done is None:
        raise SystemExit(f"wrk printed no rate for {path}:\n{proc.stdout}")
    return float(rate.group(1)), int(done.group(1))


def workers_cpu(master: int) -> float:
    """CPU seconds used so far by the gunicorn workers of ``master`` (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:  # ppid; then utime, stime at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--wrk", default=shutil.which("wrk"))
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    if not args.wrk:
        raise SystemExit("wrk is missing: apt-get install wrk (or pass --wrk PATH)")

    project = Path.cwd()
    name = f"bench_pages_{uuid.uuid4().hex[:8]}"
    database_url = args.postgres.rsplit("/", 1)[0] + "/" + name
    create_database(args.postgres, name)
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        site = Path(tmp) / "bench_site"
        site.mkdir()
        (site / "__init__.py").write_text("")
        (site / "settings.py").write_text(
            SETTINGS.replace("__STATIC_ROOT__", repr(str(Path(tmp) / "static")))
        )
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
            for command in (["migrate"], ["collectstatic", "--no-input"]):
                subprocess.run(
                    [python, "manage.py", *command, "-v", "0"], env=env, check=True
                )
            seed_script = (
                SEED.replace("__TASKS__", str(args.tasks))
                .replace("__SMALL__", str(args.small))
                .replace("__ARTICLES__", str(args.articles))
            )
            seeded = subprocess.run(
                [python, "manage.py", "shell", "-c", seed_script],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            seed = json.loads(seeded.stdout.strip().splitlines()[-1])
            vacuum(database_url)
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
            big = f"/orgs/{seed['big']}/"
            pages = [
                ("bare view", "/bench/bare/", args.tasks),
                ("home page", "/", args.tasks),
                ("task list", f"{big}tasks/", args.tasks),
                ("task list", f"/orgs/{seed['small']}/tasks/", args.small),
                ("task detail", f"{big}tasks/{seed['task']}/", args.tasks),
                ("article list", "/articles/", args.tasks),
                ("organization page", big, args.tasks),
            ]
            rates: dict[str, list[float]] = {path: [] for _, path, _ in pages}
            # The workers' CPU time per request: what the load of other
            # programs on the machine changes least.
            cpu: dict[str, list[float]] = {path: [] for _, path, _ in pages}
            try:
                wait_for(port)
                for _, path, _ in pages:  # warm up every worker
                    check_page(port, path, seed["cookie"])
                    wrk(args.wrk, port, path, seed["cookie"], clients=2, seconds=1)
                for _ in range(args.rounds):
                    for _, path, _ in pages:
                        before = workers_cpu(server.pid)
                        rate, done = wrk(
                            args.wrk,
                            port,
                            path,
                            seed["cookie"],
                            clients=args.clients,
                            seconds=args.seconds,
                        )
                        rates[path].append(rate)
                        cpu[path].append(
                            1000 * (workers_cpu(server.pid) - before) / done
                        )
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            create_database(args.postgres, name, drop=True)
    bare = statistics.median(rates["/bench/bare/"])
    bare_cpu = statistics.median(cpu["/bench/bare/"])
    for page, path, tasks in pages:
        rps = statistics.median(rates[path])
        cpu_ms = statistics.median(cpu[path])
        print(
            json.dumps(
                {
                    "page": page,
                    "path": path,
                    "tasks": tasks,
                    "rps": round(rps, 1),
                    "ratio": round(bare / rps, 2),
                    "runs": [round(rate, 1) for rate in rates[path]],
                    "cpu_ms": round(cpu_ms, 2),
                    "cpu_ratio": round(cpu_ms / bare_cpu, 2) if bare_cpu else None,
                    "rounds": args.rounds,
                    "articles": args.articles,
                    "workers": args.workers,
                    "clients": args.clients,
                    # Other programs' load makes every rate slower: say it.
                    "load": round(os.getloadavg()[0], 1),
                }
            ),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
