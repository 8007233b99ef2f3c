"""Shared helpers for the template's tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

import baked_env
from template_source import clean_copy

DEFAULT_SLUG = "acme_newsroom"

# For the `make check` runs of baked projects: the baked browser suite runs
# once, in tests/test_browser.py, not in every run.
WITHOUT_BROWSER_TESTS = {"PYTEST_ADDOPTS": '-m "not browser"'}


def pytest_configure(config: pytest.Config) -> None:
    """Bake from a clean copy of the template unless --template says otherwise.

    pytest-cookies bakes ``--template`` (default "."); pointing it at a copy
    of what git would commit keeps local caches out of the baked projects.

    Also gives the run one folder for the baked projects' virtual
    environments (see baked_env.py), unless ``BAKED_ENV_ROOT`` names one
    already. The xdist workers start after this and inherit it.
    """
    if getattr(config.option, "template", None) == ".":
        copy_root = Path(tempfile.mkdtemp(prefix="template-"))
        config.option.template = str(clean_copy(copy_root / "template"))
        config.add_cleanup(lambda: shutil.rmtree(copy_root, ignore_errors=True))
    if not os.environ.get("BAKED_ENV_ROOT"):
        env_root = tempfile.mkdtemp(prefix="baked-envs-")
        os.environ["BAKED_ENV_ROOT"] = env_root
        config.add_cleanup(lambda: shutil.rmtree(env_root, ignore_errors=True))
        config.add_cleanup(lambda: os.environ.pop("BAKED_ENV_ROOT", None))


def template_path(config: pytest.Config) -> Path:
    return Path(config.option.template)


def skip_or_fail(reason: str) -> NoReturn:
    """Skip a test whose service or interpreter is missing, with ``reason``.

    With ``REQUIRE_SERVICES=1`` in the environment (CI sets it) the test
    fails instead: there, a missing service is a broken machine, not a
    reason to pass quietly.
    """
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432


def postgres_reachable(timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((POSTGRES_HOST, POSTGRES_PORT), timeout):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    if not postgres_reachable():
        skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_HOST}:{POSTGRES_PORT}")


def require_interpreter(line: str) -> baked_env.Interpreter:
    interpreter = baked_env.find_interpreter(line)
    if interpreter is None:
        skip_or_fail(
            f"no Python {line} interpreter found (python{line} on PATH, "
            f"`pyenv prefix {line}`, ~/.pyenv/versions/{line}.*)"
        )
    return interpreter


def bake_default(cookies, **extra_context: str) -> Path:
    """Bake with pytest-cookies and return the project folder (must succeed)."""
    result = cookies.bake(extra_context=extra_context)
    assert result.exception is None, f"bake failed: {result.exception!r}"
    assert result.exit_code == 0
    return result.project_path


@pytest.fixture(scope="session")
def baked_default(cookies_session) -> Path:
    """One default bake shared by the read-only tests of a session."""
    return bake_default(cookies_session)


@pytest.fixture
def cookiecutter_cli(tmp_path, pytestconfig):
    """Run the real ``cookiecutter`` command on the template, isolated.

    Returns a function taking extra ``key=value`` arguments; it runs the
    command with ``--no-input`` in ``tmp_path / "out"`` with its own user
    config (no replay or clone left in the user's home) and returns the
    completed process.
    """
    out = tmp_path / "out"
    out.mkdir()
    config = tmp_path / "cookiecutter-config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "cookiecutters_dir": str(tmp_path / "cookiecutters"),
                "replay_dir": str(tmp_path / "replay"),
            }
        ),
        encoding="utf-8",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [
            sys.executable,
            "-m",
            "cookiecutter",
            str(template_path(pytestconfig)),
            "--no-input",
            "--config-file",
            str(config),
            "--output-dir",
            str(out),
            *args,
        ]
        proc = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=out,  # as a user would: from the folder the project goes to
            env={**os.environ, "PWD": str(out)},
            timeout=120,
            check=False,
        )
        proc.out_dir = out  # type: ignore[attr-defined]
        return proc

    return run
