"""Invitation and publication latency: a slow mail server vs mail disabled.

Run from a baked project's folder with its virtualenv's Python, with Redis
and PostgreSQL on the machine:

    cd acme_newsroom
    .venv/bin/python ../scripts/bench_jobs.py --runs 7

It makes a database of its own (dropped at the end), serves the requests
in-process (Django's test client, dev settings, jobs queued to Redis as in
production, on a queue of its own) and runs a real worker process
(``celery -A config worker``, production settings). Three ways, the same
requests each time:

- ``off``: the worker's mail backend is Django's dummy one (mail disabled);
- ``slow``: the worker mails an SMTP server (aiosmtpd) that takes 1 s to
  answer each message; at the end every mail must have arrived once;
- ``inline``: for comparison, jobs run inside the request (the dev and test
  settings' in-process mode) against the same slow server.

It prints one JSON line per request kind and way: the median latency in
seconds over ``--runs`` requests, and at the end what the slow server got.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import json
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SMTP_DELAY_SECONDS = 1.0
WARM_UP_REQUESTS = 3


def create_database(admin_url: str, name: str, *, drop: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        if drop:
            statement = "DROP DATABASE IF EXISTS {} WITH (FORCE)"
        else:
            statement = "CREATE DATABASE {}"
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SlowInbox:
    """Takes ``SMTP_DELAY_SECONDS`` to accept each message, and keeps it."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []  # (recipients, subject)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_DELAY_SECONDS)
        message = email.message_from_bytes(envelope.content)
        self.messages.append((",".join(envelope.rcpt_tos), str(message["Subject"])))
        return "250 Message accepted for delivery"


@contextmanager
def worker(env: dict[str, str], queue: str, log: Path) -> Iterator[None]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        f"--queues={queue}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the worker did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    name = f"bench_jobs_{uuid.uuid4().hex[:10]}"
    admin = args.postgres
    database_url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgres://")
    database_url = f"{database_url}/{name}"
    queue = f"bench-jobs-{uuid.uuid4().hex[:10]}"
    create_database(admin, name)
    try:
        run(args, database_url=database_url, queue=queue)
    finally:
        create_database(admin, name, drop=True)
        import redis

        redis.Redis.from_url(args.redis).delete(queue)


def run(args: argparse.Namespace, *, database_url: str, queue: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=args.redis,
        REDIS_URL=args.redis,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    sys.path.insert(0, str(Path.cwd()))
    import django

    django.setup()
    logging.getLogger().setLevel(logging.WARNING)  # only the JSON lines

    from aiosmtpd.controller import Controller
    from config import celery_app
    from config.settings.base import email_settings
    from core.models import SentEmail
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse
    from orgs.models import Membership, Organization
    from users.models import User

    celery_app.conf.task_default_queue = queue
    call_command("migrate", verbosity=0, interactive=False)
    alice = User.objects.create_user("alice", "alice@example.com", "x")
    organization = Organization.objects.create(name="Bench", slug="bench")
    Membership.objects.create(user=alice, organization=organization, role="admin")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(alice)
    counter = iter(range(1_000_000))

    def invite() -> None:
        response = client.post(
            reverse("orgs:invite", kwargs={"org_slug": "bench"}),
            {"email": f"person{next(counter)}@example.com", "role": "member"},
        )
        assert response.status_code == 302, response.status_code

    def publish() -> None:
        response = client.post(
            reverse("articles:create"),
            {"title": f"Bench {next(counter)}", "body": "Text.", "status": "published"},
        )
        assert response.status_code == 302, response.status_code

    def median_seconds(request: Any, runs: int) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            request()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def report(way: str, runs: int) -> None:
        for kind, request in (("invite", invite), ("publish", publish)):
            for _ in range(WARM_UP_REQUESTS):  # templates, connections, caches
                request()
            seconds = median_seconds(request, runs)
            print(json.dumps({"way": way, "request": kind, "s": seconds, "runs": runs}))

    def wait_until_sent(total: int, seconds: float) -> None:
        """Until ``total`` mails are recorded as sent: the queue is empty."""
        deadline = time.monotonic() + seconds
        while SentEmail.objects.count() < total and time.monotonic() < deadline:
            time.sleep(0.2)

    port = free_port()
    inbox = SlowInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    worker_env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "DJANGO_EMAIL_USE_TLS": "false",
        "DATABASE_SSL_REQUIRE": "false",
    }
    logs = Path(os.environ.get("BENCH_JOBS_LOGS", "."))
    try:
        mails = 2 * (args.runs + WARM_UP_REQUESTS)  # each way, both requests
        # Mail disabled: Django's dummy backend (SentEmail still records it).
        with worker(worker_env, queue, logs / "bench-worker-off.log"):
            report("off", args.runs)
            wait_until_sent(mails, 30)
        del worker_env["DJANGO_EMAIL_BACKEND"]  # the production default: SMTP
        with worker(worker_env, queue, logs / "bench-worker-slow.log"):
            report("slow", args.runs)
            wait_until_sent(2 * mails, mails * SMTP_DELAY_SECONDS + 30)
            time.sleep(SMTP_DELAY_SECONDS)  # a duplicate would have come by now
        smtp_settings = email_settings(
            "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port
        )
        slow = list(inbox.messages)
        celery_app.conf.task_always_eager = True
        with override_settings(**smtp_settings):
            report("inline", max(3, args.runs // 2))
    finally:
        smtp.stop()
    print(
        json.dumps(
            {
                "delivered": len(slow),
                "distinct": len(set(slow)),
                "expected": mails,
            }
        )
    )


if __name__ == "__main__":
    main()
