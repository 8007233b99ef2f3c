"""Two web processes of one baked project behave as one site.

The default bake runs as two gunicorn processes on two loopback ports, on the
production settings, sharing one fresh PostgreSQL database and the machine's
Redis. Redis is reached through a small TCP proxy of this test, so that it
can be made unreachable for these processes alone (the machine's Redis keeps
serving everyone else).

The production settings redirect plain HTTP to HTTPS and mark cookies
secure: the requests say they came through a TLS-terminating proxy with
``X-Forwarded-Proto: https``, which the settings trust (``SECURE_PROXY_SSL_HEADER``,
with ``DJANGO_BEHIND_TLS_PROXY``), and this test keeps its own cookies, secure
(``__Host-``) ones included. The test's PostgreSQL speaks no TLS.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookies
import json
import random
import re
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest
from test_baked_checks import default_interpreter, postgres_database, tail

import baked_env
from conftest import bake_default, require_postgres, skip_or_fail

# One worker runs the module, so its fixture starts the site once.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.services,
    pytest.mark.xdist_group("scale_out"),
]

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
ORG = "scale"
TASKS = 3
EDITORS = 4  # threads editing at once
EDITS_PER_EDITOR = 8
STATUSES = ("todo", "in_progress", "done")

SEED = """
import json
from orgs.models import Membership, Organization
from tasks.services import create_task
from tasks.types import TaskInput
from users.models import User

password = __PASSWORD__
users = [
    User.objects.create_user(name, f"{name}@example.com", password)
    for name in ("alice", "bob")
]
org = Organization.objects.create(name="Scale", slug=__ORG__)
for user in users:
    Membership.objects.create(organization=org, user=user, role=Membership.Role.ADMIN)
tasks = [
    create_task(actor=users[0], organization=org, data=TaskInput(f"Task {n}")).task
    for n in range(__TASKS__)
]
print(json.dumps({
    "users": {user.username: user.pk for user in users},
    "tasks": [task.pk for task in tasks],
}))
"""

DUMP = """
import json
from tasks.models import Task, TaskEvent

tasks = {
    task.pk: {
        "title": task.title,
        "status": task.status,
        "priority": task.priority,
        "assigned_to": task.assigned_to_id,
        "due_date": task.due_date.isoformat() if task.due_date else None,
    }
    for task in Task.objects.order_by("pk")
}
events = [
    {"task": event.task_id, "action": event.action, "details": event.details}
    for event in TaskEvent.objects.order_by("pk")
]
print(json.dumps({"tasks": tasks, "events": events}))
"""


def require_redis() -> None:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2):
            return
    except OSError:
        skip_or_fail(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TcpProxy:
    """Forwards a loopback port to Redis until stopped; can be started again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones."""
        self._stopped.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        stopped = self._stopped
        while not stopped.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            with self._lock:
                if stopped.is_set():
                    client.close()
                    upstream.close()
                    return
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


@dataclass
class Browser:
    """One person's cookies, sent to whichever end a request goes to."""

    cookies: dict[str, str] = field(default_factory=dict)

    def copy(self) -> Browser:
        return Browser(dict(self.cookies))

    def request(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> Response:
        origin = f"https://127.0.0.1:{port}"
        headers = {
            "Host": f"127.0.0.1:{port}",
            # What the TLS-terminating proxy in front of the site would add.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(line).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict[str, str]) -> Response:
        return self.request(port, "POST", path, form)


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no {name} field in the page:\n{html[:2000]}"
    return match.group(1).replace("&amp;", "&")


def log_in(port: int, username: str, password: str) -> Browser:
    browser = Browser()
    page = browser.get(port, "/accounts/login/")
    assert page.status == 200, page.text[:500]
    answer = browser.post(
        port,
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": hidden_value(page.text, "csrfmiddlewaretoken"),
            "username": username,
            "password": password,
        },
    )
    assert answer.status == 302, f"log-in answered {answer.status}: {answer.text[:500]}"
    return browser


class Site:
    """The baked project's manage.py and gunicorn, on the production settings."""

    def __init__(
        self, project: Path, env: baked_env.BakedEnv, variables: dict[str, str]
    ) -> None:
        self.project = project
        self.env = env
        self.variables = variables
        self.servers: list[tuple[subprocess.Popen, Path]] = []

    def manage(self, *args: str) -> str:
        proc = self.env.run(
            self.project,
            str(self.env.python),
            "manage.py",
            *args,
            timeout=300,
            **self.variables,
        )
        assert proc.returncode == 0, f"manage.py {args[0]}:\n{tail(proc.stdout)}"
        return proc.stdout

    def shell(self, script: str) -> dict:
        output = self.manage("shell", "-c", script)
        return json.loads(output.strip().splitlines()[-1])

    def serve(self, log: Path) -> int:
        """Start gunicorn on a free port; the port once it answers."""
        port = free_port()
        with log.open("w") as handle:
            server = subprocess.Popen(
                [
                    str(self.env.python),
                    "-m",
                    "gunicorn",
                    "config.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--timeout",
                    "60",
                ],
                cwd=self.project,
                env=self.env.env(**self.variables),
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        self.servers.append((server, log))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{tail(log.read_text())}")
            with contextlib.suppress(OSError):
                Browser().get(port, "/healthz")
                return port
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer on {port}:\n{tail(log.read_text())}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{tail(log.read_text())}" for _, log in self.servers
        )

    def stop(self) -> None:
        for server, _ in self.servers:
            server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        for server, _ in self.servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


@dataclass
class ScaledOut:
    site: Site
    proxy: TcpProxy
    ports: tuple[int, int]
    users: dict[str, int]
    tasks: list[int]
    password: str


@pytest.fixture(scope="module")
def scaled_out(cookies_session, tmp_path_factory) -> Iterator[ScaledOut]:
    require_postgres()
    require_redis()
    interpreter = default_interpreter()
    project = bake_default(cookies_session)
    env = baked_env.env_for_project(project, interpreter)
    logs = tmp_path_factory.mktemp("scale-out-logs")
    proxy = TcpProxy((REDIS_HOST, REDIS_PORT))
    password = secrets.token_urlsafe(16)
    with contextlib.ExitStack() as stack:
        proxy.start()
        stack.callback(proxy.stop)
        database_url = stack.enter_context(postgres_database(env))
        redis = f"redis://127.0.0.1:{proxy.port}"
        site = Site(
            project,
            env,
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.prod",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_TRUSTED_PROXY_COUNT": "1",
                "DJANGO_BEHIND_TLS_PROXY": "true",
                "DATABASE_URL": database_url,
                "DATABASE_SSL_REQUIRE": "false",
                "CELERY_BROKER_URL": f"{redis}/0",
                "REDIS_URL": f"{redis}/1",
            },
        )
        site.manage("migrate", "--no-input", "-v", "0")
        site.manage("collectstatic", "--no-input", "-v", "0")
        seed = site.shell(
            SEED.replace("__PASSWORD__", repr(password))
            .replace("__ORG__", repr(ORG))
            .replace("__TASKS__", str(TASKS))
        )
        stack.callback(site.stop)
        ports = (site.serve(logs / "web-a.log"), site.serve(logs / "web-b.log"))
        yield ScaledOut(site, proxy, ports, seed["users"], seed["tasks"], password)


def test_a_session_made_on_one_end_is_valid_on_the_other(scaled_out):
    a, b = scaled_out.ports
    for made_on, used_on, name in ((a, b, "alice"), (b, a, "bob")):
        browser = log_in(made_on, name, scaled_out.password)
        page = browser.get(used_on, f"/orgs/{ORG}/tasks/")
        assert page.status == 200, (page.status, page.headers.get("Location"))
        assert f"Signed in as <strong>{name}</strong>" in page.text
        # And the end it was made on still knows it.
        assert browser.get(made_on, f"/orgs/{ORG}/").status == 200


@dataclass
class Outcomes:
    saved: dict[int, list[str]] = field(default_factory=dict)  # task: titles
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _edit_loop(
    editor: int,
    browser: Browser,
    ports: tuple[int, int],
    tasks: list[int],
    users: list[int],
    outcomes: Outcomes,
) -> None:
    """Edit tasks as the pages do: load the form, send it back with its version."""
    rng = random.Random(editor)
    for n in range(EDITS_PER_EDITOR):
        task = rng.choice(tasks)
        path = f"/orgs/{ORG}/tasks/{task}/edit/"
        # The form is read on one end and sent to the other half of the time.
        read_on, send_to = rng.choice(ports), rng.choice(ports)
        try:
            form = browser.get(read_on, path)
            if form.status != 200:
                raise AssertionError(f"GET {path}: {form.status}")
            title = f"Edit {editor}.{n}"
            due = f"2031-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
            answer = browser.post(
                send_to,
                path,
                {
                    "csrfmiddlewaretoken": hidden_value(
                        form.text, "csrfmiddlewaretoken"
                    ),
                    "version": hidden_value(form.text, "version"),
                    "title": title,
                    "description": f"Written by editor {editor}",
                    "status": rng.choice(STATUSES),
                    "priority": str(rng.randint(1, 4)),
                    "assigned_to": str(rng.choice([*users, ""])),
                    "due_date": rng.choice([due, ""]),
                },
            )
        except Exception as error:  # reported by the test, as are the statuses
            with outcomes.lock:
                outcomes.errors.append(f"editor {editor}, edit {n}: {error!r}")
            continue
        with outcomes.lock:
            if answer.status == 302:
                outcomes.saved.setdefault(task, []).append(title)
            elif answer.status == 409 and "changed while you were editing" in (
                answer.text
            ):
                outcomes.refused += 1
            else:
                outcomes.errors.append(
                    f"editor {editor}, edit {n}: POST {path} answered "
                    f"{answer.status}: {answer.text[:300]}"
                )


def replay(events: list[dict]) -> dict:
    """A task's fields rebuilt from its events, each checked against the last."""
    created, *changes = events
    assert created["action"] == "created", created
    details = created["details"]
    state = {
        "title": details["title"],
        "status": details["status"],
        "priority": details["priority"],
        "assigned_to": details["assigned_to"],
        "due_date": None,
    }
    renamed = {"assigned_to_id": "assigned_to"}
    for event in changes:
        details = event["details"]
        if event["action"] == "updated":
            before, after = details["from"], details["to"]
        else:
            name = "status" if event["action"] == "status_changed" else "assigned_to"
            before, after = {name: details["from"]}, {name: details["to"]}
        for name, value in before.items():
            name = renamed.get(name, name)
            assert state[name] == value, f"{event} does not follow {state}"
        state.update({renamed.get(name, name): value for name, value in after.items()})
    return state


def test_concurrent_edits_on_both_ends_lose_nothing(scaled_out):
    ports, tasks = scaled_out.ports, scaled_out.tasks
    users = list(scaled_out.users.values())
    browsers = {
        name: log_in(ports[0], name, scaled_out.password) for name in scaled_out.users
    }
    outcomes = Outcomes()
    threads = [
        threading.Thread(
            target=_edit_loop,
            args=(
                editor,
                browsers[list(browsers)[editor % len(browsers)]].copy(),
                ports,
                tasks,
                users,
                outcomes,
            ),
        )
        for editor in range(EDITORS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not outcomes.errors, "\n".join(outcomes.errors) + scaled_out.site.logs()
    saved = sum(len(titles) for titles in outcomes.saved.values())
    assert saved + outcomes.refused == EDITORS * EDITS_PER_EDITOR
    assert saved, "no edit was saved"

    dump = scaled_out.site.shell(DUMP)
    for task in tasks:
        events = [event for event in dump["events"] if event["task"] == task]
        row = dump["tasks"][str(task)]
        assert replay(events) == row, f"task {task}: events do not replay to the row"
        # Every answered save is in the trail, once, in no other task's.
        titles = [
            event["details"]["to"]["title"]
            for event in events
            if event["action"] == "updated" and "title" in event["details"]["to"]
        ]
        assert sorted(titles) == sorted(outcomes.saved.get(task, [])), task


def test_readyz_answers_503_while_redis_is_unreachable(scaled_out):
    port = scaled_out.ports[0]
    browser = Browser()
    assert browser.get(port, "/readyz").status == 200

    scaled_out.proxy.stop()
    try:
        down = browser.get(port, "/readyz")
        assert down.status == 503, (down.status, down.text[:300])
        assert re.search(r"(?i)cache|redis", down.text), down.text[:300]
        # The other end tells the same, and the process itself is alive.
        assert browser.get(scaled_out.ports[1], "/readyz").status == 503
        assert browser.get(port, "/healthz").status == 200
    finally:
        scaled_out.proxy.start()

    deadline = time.monotonic() + 20
    while (status := browser.get(port, "/readyz").status) != 200:
        assert time.monotonic() < deadline, f"/readyz still answers {status}"
        time.sleep(0.2)
