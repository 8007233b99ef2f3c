"""The test harness itself: skip-or-fail and the cached environments."""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys
from pathlib import Path

import pytest

import baked_env
import conftest
from conftest import skip_or_fail


def test_missing_service_skips_by_default(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL"):
        skip_or_fail("no PostgreSQL")


def test_missing_service_fails_when_services_are_required(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="no PostgreSQL"):
        skip_or_fail("no PostgreSQL")


def _unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    ("require", "outcome"), [("", pytest.skip.Exception), ("1", pytest.fail.Exception)]
)
def test_unreachable_postgres_skips_or_fails(monkeypatch, require, outcome):
    monkeypatch.setenv("REQUIRE_SERVICES", require)
    monkeypatch.setattr(conftest, "POSTGRES_PORT", _unused_port())
    with pytest.raises(outcome, match="PostgreSQL is not reachable"):
        conftest.require_postgres()


@pytest.mark.parametrize(
    ("require", "outcome"), [("", pytest.skip.Exception), ("1", pytest.fail.Exception)]
)
def test_missing_interpreter_skips_or_fails(monkeypatch, require, outcome):
    monkeypatch.setenv("REQUIRE_SERVICES", require)
    with pytest.raises(outcome, match=r"no Python 2\.1 interpreter"):
        conftest.require_interpreter("2.1")


def test_current_interpreter_is_found():
    line = f"{sys.version_info[0]}.{sys.version_info[1]}"
    interpreter = baked_env.find_interpreter(line)
    assert interpreter is not None
    assert interpreter.line == sys.version_info[:2]


def test_unknown_interpreter_line_is_not_found():
    assert baked_env.find_interpreter("2.1") is None


def test_django_pins():
    assert baked_env.django_pin((3, 11)) == "Django>=5.2,<6.0"
    assert baked_env.django_pin((3, 12)) == "Django>=6.1,<6.2"
    with pytest.raises(ValueError, match="no Django pin"):
        baked_env.django_pin((2, 7))


def test_requirements_are_dependencies_then_dev_group(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        """
[project]
dependencies = ["Django>=5.2,<6.2", "whitenoise"]
[dependency-groups]
lint = ["ruff"]
dev = ["pytest", {include-group = "lint"}]
other = ["not-this"]
""",
        encoding="utf-8",
    )

    assert baked_env.project_requirements(pyproject) == [
        "Django>=5.2,<6.2",
        "whitenoise",
        "pytest",
        "ruff",
    ]


def _interpreter(description="CPython 3.11.7 x86_64"):
    return baked_env.Interpreter(sys.executable, (3, 11, 7), description)


def test_key_depends_on_interpreter_pin_and_requirements():
    base = baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", ["a", "b"])

    assert base == baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", ["a", "b"])
    assert base.startswith("py3.11-")
    others = {
        baked_env.venv_key(
            _interpreter("CPython 3.11.8 x86_64"), "Django>=5.2,<6.0", ["a", "b"]
        ),
        baked_env.venv_key(_interpreter(), "Django>=6.1,<6.2", ["a", "b"]),
        baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", ["a", "c"]),
    }
    assert base not in others
    assert len(others) == 3


def test_cache_root_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert baked_env.cache_root() == tmp_path / "cookiecutter-django-layered"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert baked_env.cache_root() == (
        Path.home() / ".cache" / "cookiecutter-django-layered"
    )


def _record_install(venv_python: Path, requirements) -> None:
    """A stand-in for pip: writes down what it was asked to install."""
    log = Path(os.environ["BAKED_ENV_TEST_LOG"])
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{venv_python} {' '.join(requirements)}\n")


def _build(root: str) -> str:
    interpreter = baked_env.probe_interpreter(sys.executable)
    env = baked_env.ensure_env(
        ["pkg-a"],
        interpreter,
        root=Path(root),
        installer=_record_install,
        with_pip=False,
    )
    return str(env.path)


def test_environment_is_built_once_and_reused(tmp_path, monkeypatch):
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))
    interpreter = baked_env.probe_interpreter(sys.executable)

    first = baked_env.ensure_env(
        ["pkg-a"], interpreter, root=tmp_path, installer=_record_install, with_pip=False
    )
    second = baked_env.ensure_env(
        ["pkg-a"], interpreter, root=tmp_path, installer=_record_install, with_pip=False
    )

    assert first == second
    assert first.path.is_symlink()
    assert (first.path / "bin" / "python").exists()
    assert first.mypy_cache_dir.is_dir()
    assert first.path.parent == tmp_path / "venvs"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(f"pkg-a {baked_env.django_pin(interpreter.line)}")


def test_concurrent_builds_of_one_environment_build_it_once(tmp_path, monkeypatch):
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        paths = pool.map(_build, [str(tmp_path)] * 2)

    assert paths[0] == paths[1]
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def test_failed_build_leaves_no_environment(tmp_path):
    interpreter = baked_env.probe_interpreter(sys.executable)

    def broken_installer(venv_python, requirements):
        raise RuntimeError("network down")

    with pytest.raises(RuntimeError, match="network down"):
        baked_env.ensure_env(
            ["pkg-a"],
            interpreter,
            root=tmp_path,
            installer=broken_installer,
            with_pip=False,
        )

    leftovers = [p.name for p in (tmp_path / "venvs").iterdir()]
    assert all(name.endswith(".lock") for name in leftovers), leftovers


def test_half_built_environment_is_never_used(tmp_path, monkeypatch):
    """A folder left by a crash is swept away and the build starts afresh."""
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))
    interpreter = baked_env.probe_interpreter(sys.executable)
    key = baked_env.venv_key(
        interpreter, baked_env.django_pin(interpreter.line), ["pkg-a"]
    )
    crashed = tmp_path / "venvs" / f"{key}.deadbeef"
    (crashed / "bin").mkdir(parents=True)

    env = baked_env.ensure_env(
        ["pkg-a"], interpreter, root=tmp_path, installer=_record_install, with_pip=False
    )

    assert not crashed.exists()
    assert env.path.resolve() != crashed
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def test_env_puts_the_venv_first_and_drops_leaky_variables(tmp_path):
    env = baked_env.BakedEnv(
        tmp_path / "venv", "key", _interpreter(), "Django>=5.2,<6.0"
    )

    result = env.env(
        base={
            "PATH": "/usr/bin",
            "HOME": "/home/me",
            "DATABASE_URL": "postgres://elsewhere/db",
            "DJANGO_SETTINGS_MODULE": "x.settings",
            "PYTEST_XDIST_WORKER": "gw0",
            "MAKEFLAGS": "-j8",
            "REQUIRE_SERVICES": "1",
        },
        DATABASE_URL="sqlite:///x",
    )

    assert result["PATH"] == f"{tmp_path / 'venv' / 'bin'}{os.pathsep}/usr/bin"
    assert result["VIRTUAL_ENV"] == str(tmp_path / "venv")
    assert result["MYPY_CACHE_DIR"] == str(tmp_path / "venv" / "mypy-cache")
    assert result["DATABASE_URL"] == "sqlite:///x"
    assert result["HOME"] == "/home/me"
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "PYTEST_XDIST_WORKER",
        "MAKEFLAGS",
        "REQUIRE_SERVICES",
    ):
        assert name not in result
