"""The baked project's browser suite passes in Debian's Chromium.

The suite (tests/browser/ of a baked project) drives the main flows on a live
server and checks every page with axe-core and the W3C's HTML checker. The
`make check` runs of tests/test_baked_checks.py leave it out; it runs here
once, in the default bake, with every skip turned into a failure.
"""

from __future__ import annotations

import re
import shutil

import pytest

import baked_env
from conftest import bake_default, require_interpreter, skip_or_fail

# The venv of the Python 3.12 `make check` runs, on their worker.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("py3.12")]

DEBIAN_CHROMIUM = "/usr/bin/chromium"
SUITE_TIMEOUT = 600


def test_baked_browser_suite_passes_in_chromium(cookies):
    chromium = shutil.which(DEBIAN_CHROMIUM) or shutil.which("chromium")
    if chromium is None:
        skip_or_fail(f"no Chromium at {DEBIAN_CHROMIUM} (apt-get install chromium)")
    if shutil.which("java") is None:
        skip_or_fail(
            "no Java for the HTML checker (apt-get install default-jre-headless)"
        )
    interpreter = require_interpreter("3.12")
    project = bake_default(cookies)
    env = baked_env.env_for_project(project, interpreter)

    proc = env.run(
        project,
        str(env.python),
        "-m",
        "pytest",
        "-m",
        "browser",
        "tests/browser",
        timeout=SUITE_TIMEOUT,
        BROWSER_PATH=chromium,
        # A missing browser or Java fails the suite instead of skipping it.
        REQUIRE_SERVICES="1",
    )

    tail = "\n".join(proc.stdout.splitlines()[-60:])
    assert proc.returncode == 0, f"the browser suite failed:\n{tail}"
    summary = proc.stdout.strip().splitlines()[-1]
    assert re.search(r"\b[1-9]\d* passed\b", summary), summary
    assert "skipped" not in summary, summary
    assert "deselected" not in summary, summary
