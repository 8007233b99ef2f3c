"""The test harness itself: skip-or-fail and the baked projects' environments."""

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


def _interpreter(description="CPython 3.11.7 x86_64"):
    return baked_env.Interpreter(sys.executable, (3, 11, 7), description)


def _pyproject(folder: Path, dependencies=("Django>=5.2,<6.2",)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(
        f"""
[project]
name = "example"
version = "0"
dependencies = {list(dependencies)!r}
[dependency-groups]
dev = ["pytest"]
[tool.ruff]
line-length = 88
""",
        encoding="utf-8",
    )
    return pyproject


def test_key_depends_on_interpreter_pin_and_dependencies(tmp_path):
    pyproject = _pyproject(tmp_path / "base")
    base = baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", pyproject)

    assert base.startswith("py3.11-")
    others = {
        baked_env.venv_key(
            _interpreter("CPython 3.11.8 x86_64"), "Django>=5.2,<6.0", pyproject
        ),
        baked_env.venv_key(_interpreter(), "Django>=6.1,<6.2", pyproject),
        baked_env.venv_key(
            _interpreter(),
            "Django>=5.2,<6.0",
            _pyproject(tmp_path / "other", dependencies=["Django", "whitenoise"]),
        ),
    }
    assert base not in others
    assert len(others) == 3


def test_key_ignores_what_does_not_change_the_environment(tmp_path):
    pyproject = _pyproject(tmp_path)
    before = baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", pyproject)
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace("88", "100"), encoding="utf-8"
    )

    assert baked_env.venv_key(_interpreter(), "Django>=5.2,<6.0", pyproject) == before


def test_root_is_the_runs_folder_else_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("BAKED_ENV_ROOT", str(tmp_path / "run"))
    assert baked_env.default_root() == tmp_path / "run"
    monkeypatch.delenv("BAKED_ENV_ROOT")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert (
        baked_env.default_root() == tmp_path / "cookiecutter-django-layered" / "venvs"
    )
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert baked_env.cache_root() == (
        Path.home() / ".cache" / "cookiecutter-django-layered"
    )


def test_this_run_has_a_folder_of_environments():
    """conftest.py names it before the workers start, so none builds in the
    user's cache."""
    root = Path(os.environ.get("BAKED_ENV_ROOT", ""))
    assert root.is_absolute()
    assert baked_env.default_root() == root


def _record_install(venv: Path, pyproject: Path, pin: str) -> None:
    """A stand-in for uv: writes down what it was asked to install."""
    log = Path(os.environ["BAKED_ENV_TEST_LOG"])
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"{venv} {pyproject} {pin}\n")


def _build(root: str) -> str:
    interpreter = baked_env.probe_interpreter(sys.executable)
    env = baked_env.ensure_env(
        Path(root) / "project" / "pyproject.toml",
        interpreter,
        root=Path(root) / "envs",
        installer=_record_install,
    )
    return str(env.path)


def test_environment_is_built_once_and_reused(tmp_path, monkeypatch):
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))
    interpreter = baked_env.probe_interpreter(sys.executable)
    pyproject = _pyproject(tmp_path / "project")

    first = baked_env.ensure_env(
        pyproject, interpreter, root=tmp_path / "envs", installer=_record_install
    )
    second = baked_env.ensure_env(
        pyproject, interpreter, root=tmp_path / "envs", installer=_record_install
    )

    assert first == second
    assert first.path.parent == tmp_path / "envs"
    assert first.python.exists()
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines == [
        f"{first.path} {pyproject} {baked_env.django_pin(interpreter.line)}"
    ]


def test_concurrent_builds_of_one_environment_build_it_once(tmp_path, monkeypatch):
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))
    _pyproject(tmp_path / "project")

    with multiprocessing.get_context("spawn").Pool(2) as pool:
        paths = pool.map(_build, [str(tmp_path)] * 2)

    assert paths[0] == paths[1]
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def test_failed_build_leaves_no_environment(tmp_path):
    interpreter = baked_env.probe_interpreter(sys.executable)

    def broken_installer(venv, pyproject, pin):
        raise RuntimeError("network down")

    with pytest.raises(RuntimeError, match="network down"):
        baked_env.ensure_env(
            _pyproject(tmp_path / "project"),
            interpreter,
            root=tmp_path / "envs",
            installer=broken_installer,
        )

    leftovers = [p.name for p in (tmp_path / "envs").iterdir()]
    assert all(name.endswith(".lock") for name in leftovers), leftovers


def test_half_built_environment_is_never_used(tmp_path, monkeypatch):
    """A folder left by a killed build is built afresh."""
    log = tmp_path / "installs.log"
    monkeypatch.setenv("BAKED_ENV_TEST_LOG", str(log))
    interpreter = baked_env.probe_interpreter(sys.executable)
    pyproject = _pyproject(tmp_path / "project")
    key = baked_env.venv_key(
        interpreter, baked_env.django_pin(interpreter.line), pyproject
    )
    killed = tmp_path / "envs" / key
    (killed / "bin").mkdir(parents=True)
    (killed / "half-installed").touch()

    env = baked_env.ensure_env(
        pyproject, interpreter, root=tmp_path / "envs", installer=_record_install
    )

    assert env.path == killed
    assert not (killed / "half-installed").exists()
    assert env.python.exists()
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1


def test_uv_builds_an_environment_from_a_pyproject(tmp_path):
    """The real installer, on a project whose dependencies are its dev group."""
    pyproject = tmp_path / "project" / "pyproject.toml"
    pyproject.parent.mkdir()
    pyproject.write_text(
        """
[project]
name = "example"
version = "0"
dependencies = []
[dependency-groups]
lint = ["tomli-w"]
dev = [{include-group = "lint"}]
""",
        encoding="utf-8",
    )
    interpreter = baked_env.probe_interpreter(sys.executable)

    env = baked_env.ensure_env(
        pyproject, interpreter, pin="tomli-w", root=tmp_path / "envs"
    )

    proc = env.run(tmp_path, str(env.python), "-c", "import tomli_w")
    assert proc.returncode == 0, proc.stdout


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
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        DATABASE_URL="sqlite:///x",
    )

    assert result["PATH"] == f"{tmp_path / 'venv' / 'bin'}{os.pathsep}/usr/bin"
    assert result["VIRTUAL_ENV"] == str(tmp_path / "venv")
    assert result["MYPY_CACHE_DIR"] == str(tmp_path / "venv" / "mypy-cache")
    assert result["PYTHONPYCACHEPREFIX"] == str(tmp_path / "venv" / "pycache")
    assert result["DATABASE_URL"] == "sqlite:///x"
    assert result["HOME"] == "/home/me"
    for name in (
        "DJANGO_SETTINGS_MODULE",
        "PYTEST_XDIST_WORKER",
        "MAKEFLAGS",
        "REQUIRE_SERVICES",
        "PYTHONDONTWRITEBYTECODE",
    ):
        assert name not in result
