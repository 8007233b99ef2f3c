"""Baked projects pass their own quality gate, on every supported line.

These tests install a baked project's dependencies into a cached virtual
environment (see tests/baked_env.py) and run the project's own commands in
it, with the environment's ``bin`` first on PATH, as its CI would.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import baked_env
from conftest import (
    POSTGRES_HOST,
    POSTGRES_PORT,
    WITHOUT_BROWSER_TESTS,
    bake_default,
    require_interpreter,
    require_postgres,
    skip_or_fail,
)

pytestmark = pytest.mark.slow

MAKE_CHECK_TIMEOUT = 900  # seconds; a cold mypy cache takes the longest
OUTPUT_TAIL_LINES = 80


def tail(text: str, lines: int = OUTPUT_TAIL_LINES) -> str:
    return "\n".join(text.splitlines()[-lines:])


def matrix_param(python_line: str, database: str) -> pytest.param:
    django = baked_env.django_pin(
        tuple(int(part) for part in python_line.split("."))  # type: ignore[arg-type]
    )
    django_line = django.split(",")[0].removeprefix("Django>=")
    return pytest.param(
        python_line,
        database,
        id=f"py{python_line}-django{django_line}-{database}",
        # With `-n 2 --dist loadgroup` (make test), the runs sharing one
        # virtual environment stay on one worker, one after the other.
        marks=[pytest.mark.xdist_group(f"py{python_line}")]
        + ([pytest.mark.services] if database == "postgres" else []),
    )


MATRIX = [
    matrix_param("3.11", "sqlite"),
    matrix_param("3.11", "postgres"),
    matrix_param("3.12", "sqlite"),
    matrix_param("3.12", "postgres"),
]

_PG_ADMIN_SCRIPT = """
import sys
import psycopg
from psycopg import sql

action, name, url = sys.argv[1:]
with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
    if action == "create":
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        for db in (name, "test_" + name):
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(db)
                )
            )
"""


def _pg_admin(env: baked_env.BakedEnv, action: str, name: str) -> None:
    admin_url = f"postgresql://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/postgres"
    proc = subprocess.run(
        [str(env.python), "-c", _PG_ADMIN_SCRIPT, action, name, admin_url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        skip_or_fail(f"cannot {action} PostgreSQL database {name}: {proc.stderr}")


@contextlib.contextmanager
def postgres_database(env: baked_env.BakedEnv) -> Iterator[str]:
    """A fresh, uniquely named database; yields its DATABASE_URL."""
    name = f"ccdl_{uuid.uuid4().hex[:12]}"
    _pg_admin(env, "create", name)
    try:
        yield f"postgres://postgres@{POSTGRES_HOST}:{POSTGRES_PORT}/{name}"
    finally:
        _pg_admin(env, "drop", name)


def default_interpreter() -> baked_env.Interpreter:
    """The interpreter line this process runs, when tested, else 3.11."""
    line = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if sys.version_info[:2] not in baked_env.DJANGO_PINS:
        line = "3.11"
    return require_interpreter(line)


@pytest.fixture
def default_env(cookies) -> tuple[Path, baked_env.BakedEnv]:
    interpreter = default_interpreter()
    project = bake_default(cookies)
    return project, baked_env.env_for_project(project, interpreter)


@pytest.mark.parametrize(("python_line", "database"), MATRIX)
def test_make_check_passes(cookies, python_line, database):
    interpreter = require_interpreter(python_line)
    if database == "postgres":
        require_postgres()
    make = shutil.which("make")
    assert make, "make is needed to run a baked project's checks"
    project = bake_default(cookies)
    env = baked_env.env_for_project(project, interpreter)

    with contextlib.ExitStack() as stack:
        extra = dict(WITHOUT_BROWSER_TESTS)
        if database == "postgres":
            extra["DATABASE_URL"] = stack.enter_context(postgres_database(env))
            # PostgreSQL is there: the baked tests that need it must run.
            extra["REQUIRE_SERVICES"] = "1"
        proc = env.run(project, make, "check", timeout=MAKE_CHECK_TIMEOUT, **extra)

    if proc.returncode != 0:
        pytest.fail(
            f"`make check` failed ({proc.returncode}) with {interpreter.description}"
            f", {env.django_pin}, {database}, venv {env.path}; last lines:\n"
            + tail(proc.stdout),
            pytrace=False,
        )


@pytest.mark.xdist_group("py3.11")
def test_make_check_passes_without_the_api(cookies):
    """``api=none`` bakes a project whose own gate passes too (SQLite, 3.11)."""
    interpreter = require_interpreter("3.11")
    make = shutil.which("make")
    assert make, "make is needed to run a baked project's checks"
    project = bake_default(cookies, api="none")
    env = baked_env.env_for_project(project, interpreter)
    proc = env.run(
        project, make, "check", timeout=MAKE_CHECK_TIMEOUT, **WITHOUT_BROWSER_TESTS
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`make check` failed ({proc.returncode}) with api=none, "
            f"{interpreter.description}, venv {env.path}; last lines:\n"
            + tail(proc.stdout),
            pytrace=False,
        )


def _manage(project: Path, env: dict[str, str], *args: str):
    return subprocess.run(
        [env["VIRTUAL_ENV"] + "/bin/python", "manage.py", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )


def _bare_env(env: baked_env.BakedEnv, **variables: str) -> dict[str, str]:
    """Almost nothing from the caller: PATH, HOME, a locale, and ``variables``."""
    base = {
        "PATH": os.defpath,
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
    }
    return env.env(base=base, **variables)


PROD_VARIABLES = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
)


def _prod_variables(tmp_path: Path) -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }


@pytest.mark.xdist_group("py3.11")
def test_prod_settings_fail_without_environment(default_env):
    project, env = default_env

    proc = _manage(
        project, _bare_env(env, DJANGO_SETTINGS_MODULE="config.settings.prod"), "check"
    )

    assert proc.returncode != 0, proc.stdout
    assert "DJANGO_SECRET_KEY" in proc.stdout, tail(proc.stdout)


@pytest.mark.xdist_group("py3.11")
@pytest.mark.parametrize("missing", PROD_VARIABLES)
def test_prod_settings_name_each_missing_variable(default_env, tmp_path, missing):
    project, env = default_env
    variables = _prod_variables(tmp_path)
    del variables[missing]

    proc = _manage(
        project,
        _bare_env(env, DJANGO_SETTINGS_MODULE="config.settings.prod", **variables),
        "check",
    )

    assert proc.returncode != 0, proc.stdout
    assert missing in proc.stdout, tail(proc.stdout)


WEAK_SECRET_KEYS = {
    "empty": "",
    "3 characters": "abc",
    "django-insecure prefix": "django-insecure-" + secrets.token_urlsafe(50),
}


@pytest.mark.xdist_group("py3.11")
@pytest.mark.parametrize("key", WEAK_SECRET_KEYS.values(), ids=WEAK_SECRET_KEYS)
def test_prod_settings_refuse_a_weak_secret_key(default_env, tmp_path, key):
    """The bar of Django's security.W009, which check --deploy only warns about."""
    project, env = default_env
    variables = _prod_variables(tmp_path) | {"DJANGO_SECRET_KEY": key}

    proc = _manage(
        project,
        _bare_env(env, DJANGO_SETTINGS_MODULE="config.settings.prod", **variables),
        "check",
    )

    assert proc.returncode != 0, proc.stdout
    refusal = proc.stdout.strip().splitlines()[-1]
    assert "Set the DJANGO_SECRET_KEY environment variable" in refusal, refusal
    for rule in ("at least 50 characters", "at least 5 different", "django-insecure-"):
        assert rule in refusal, refusal


@pytest.mark.xdist_group("py3.11")
def test_prod_settings_pass_deploy_check_with_environment(default_env, tmp_path):
    project, env = default_env

    proc = _manage(
        project,
        _bare_env(
            env,
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            **_prod_variables(tmp_path),
        ),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert proc.returncode == 0, tail(proc.stdout)


@pytest.mark.xdist_group("py3.11")
def test_migrate_and_seed_demo_twice_on_sqlite(default_env):
    """What `make demo` does before serving, twice over."""
    project, env = default_env
    run_env = env.env()

    for args in (["migrate"], ["seed_demo"], ["migrate"], ["seed_demo"]):
        proc = _manage(project, run_env, *args)
        assert proc.returncode == 0, f"manage.py {args[0]}:\n" + tail(proc.stdout)
