"""A real worker delivers each mail once, though the mail server was down.

The page answers at once, with its success, while the mail server is down;
the job waits in Redis, the worker (``celery -A config worker``, on the
production settings) tries, fails, retries with back-off, and once an SMTP
server (aiosmtpd) listens on the port, each mail arrives exactly once.

Needs Redis (``redis_url``) and PostgreSQL (``postgresql``): the worker is
another process and must read the test's database, which an in-memory
SQLite database cannot share. Each run has its own queue, so runs side by
side on one Redis never take each other's jobs.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.urls import reverse

from config import celery_app
from core.models import FailedJob, SentEmail

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 30
# After the expected mail, how long a duplicate would have to show up.
SETTLE_SECONDS = 2.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_SECONDS}s for {what}")
        time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url_for_the_worker() -> str:
    """The test database, for another process."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@contextmanager
def jobs_sent_to(broker_url: str, queue: str) -> Iterator[None]:
    """This process queues jobs on ``broker_url``, as production does."""
    names = ("task_always_eager", "broker_url", "task_default_queue")
    saved = {name: celery_app.conf[name] for name in names}

    def reconnect() -> None:
        # Forget the connection pool and the queues built from the old
        # settings (private to Celery, hence this test only).
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)

    celery_app.conf.update(
        task_always_eager=False, broker_url=broker_url, task_default_queue=queue
    )
    reconnect()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reconnect()


@contextmanager
def worker(*, broker_url: str, queue: str, smtp_port: int, log: Path) -> Iterator[Path]:
    """A worker process on the production settings; killed on the way out."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url_for_the_worker(),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": broker_url,
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        # The test's SMTP server and database speak no TLS.
        "DJANGO_EMAIL_USE_TLS": "false",
        "DATABASE_SSL_REQUIRE": "false",
        "SITE_URL": settings.SITE_URL,
        # Retries a second apart at most, so the test takes seconds.
        "JOBS_RETRY_BACKOFF": "1",
        "JOBS_RETRY_BACKOFF_MAX": "1",
        "JOBS_MAX_RETRIES": "60",
    }
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
        process = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log
    finally:
        process.kill()
        process.wait(timeout=10)
        redis.Redis.from_url(broker_url).delete(queue)


def test_mail_made_while_the_server_is_down_arrives_once_when_it_is_back(
    client, org_with_roles, postgresql, redis_url, tmp_path
):
    queue = f"test-jobs-{uuid.uuid4().hex[:12]}"
    port = free_port()  # nothing listens there yet: the mail server is down
    alice = org_with_roles.admin
    client.force_login(alice)

    with (
        jobs_sent_to(redis_url, queue),
        worker(
            broker_url=redis_url,
            queue=queue,
            smtp_port=port,
            log=tmp_path / "worker.log",
        ) as log,
    ):
        invited = client.post(
            reverse("orgs:invite", kwargs={"org_slug": "acme"}),
            {"email": "carol@example.com", "role": "member"},
        )
        published = client.post(
            reverse("articles:create"),
            {"title": "Launch", "body": "We are live.", "status": "published"},
        )
        assert invited.status_code == 302, invited.content.decode()
        assert published.status_code == 302, published.content.decode()

        def retried() -> bool:
            text = log.read_text()
            return all(
                f"Job {name} will retry" in text
                for name in (
                    "orgs.jobs.send_invite_email",
                    "articles.jobs.send_article_published_email",
                )
            )

        wait_until(retried, f"both jobs to fail once and retry:\n{log.read_text()}")

        with smtp_server(port) as inbox:
            wait_until(
                lambda: len(inbox.messages) >= 2,
                f"two mails; the worker said:\n{log.read_text()}",
            )
            time.sleep(SETTLE_SECONDS)
            received = sorted(inbox.messages)

    assert [recipients for recipients, _ in received] == [
        [alice.email],
        ["carol@example.com"],
    ]
    assert "Subject: Published: Launch" in received[0][1]
    assert "Subject: You are invited to join Acme" in received[1][1]
    assert SentEmail.objects.count() == 2
    assert not FailedJob.objects.exists()
