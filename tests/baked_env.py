"""Virtual environments for baked projects, built by uv.

A baked project's checks need its dependencies and dev tools installed. uv
builds such an environment in a second or two from its own wheel cache (only
a machine's first build downloads), so the environments are not kept between
test runs: each run builds the ones it needs into one folder, ``$BAKED_ENV_ROOT``,
which tests/conftest.py makes for the run, shares with the xdist workers and
removes at the end. Set ``BAKED_ENV_ROOT`` yourself to keep the environments
(and their mypy and bytecode caches) between runs.

In that folder an environment is ``<key>``: ``py3.11-<hash>``, the hash of
the interpreter, the Django pin and the baked ``pyproject.toml``'s
dependencies and dependency groups, so projects that ask for different
things never share one. A build holds an exclusive lock on ``<key>.lock``, so
two workers never build the same environment, and writes ``<key>/.complete``
last: an environment whose build failed or was killed is never used, and the
next caller builds it afresh.

Usable on its own too: ``python tests/baked_env.py PROJECT_DIR [PYTHON]``
prints the path of an environment for a baked project (kept under
``${XDG_CACHE_HOME:-~/.cache}/cookiecutter-django-layered/venvs`` unless
``BAKED_ENV_ROOT`` says otherwise).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from uv import find_uv_bin

# Which Django line each interpreter line is tested with.
DJANGO_PINS: dict[tuple[int, int], str] = {
    (3, 11): "Django>=5.2,<6.0",  # 5.2 LTS
    (3, 12): "Django>=6.1,<6.2",
}

COMPLETE_MARKER = ".complete"

# Variables of the calling environment that must not leak into a baked
# project's commands: they would pick another interpreter, settings module,
# database or pytest configuration than the one under test.
_STRIPPED_VARIABLES = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    # Bytecode goes to the environment's own cache instead (PYTHONPYCACHEPREFIX).
    "PYTHONDONTWRITEBYTECODE",
    "VIRTUAL_ENV",
    "CONDA_PREFIX",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "DATABASE_URL",
    "MYPY_CACHE_DIR",
    # The caller's rule for missing services is not the baked project's:
    # each run says whether its services are required (the PostgreSQL runs
    # require them, the SQLite runs do without).
    "REQUIRE_SERVICES",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
)
_STRIPPED_PREFIXES = ("PYTEST_", "COV_CORE_", "PIP_REQUIRE")

# Fills a new virtual environment from a pyproject.toml, plus the Django pin.
Installer = Callable[[Path, Path, str], None]


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cookiecutter-django-layered"


def default_root() -> Path:
    """``$BAKED_ENV_ROOT`` (a test run's folder), else the user's cache."""
    root = os.environ.get("BAKED_ENV_ROOT")
    return Path(root) if root else cache_root() / "venvs"


@dataclass(frozen=True)
class Interpreter:
    executable: str
    version: tuple[int, int, int]
    description: str  # implementation, full version and machine

    @property
    def line(self) -> tuple[int, int]:
        return self.version[:2]


_PROBE = (
    "import platform, sys; "
    "print(sys.version_info[0], sys.version_info[1], sys.version_info[2]); "
    "print(platform.python_implementation(), platform.python_version(), "
    "platform.machine())"
)


def probe_interpreter(executable: str) -> Interpreter | None:
    """Ask ``executable`` for its version; None when it does not run."""
    try:
        proc = subprocess.run(
            [executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or len(lines) < 2:
        return None
    major, minor, micro = (int(part) for part in lines[0].split())
    return Interpreter(executable, (major, minor, micro), lines[1].strip())


def _candidates(line: str) -> Iterator[str]:
    """Places a ``python<line>`` may be, most specific first."""
    current = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if line == current:
        yield sys.executable
    found = shutil.which(f"python{line}")
    if found:
        yield found  # may be a pyenv shim that refuses to run: probed later
    pyenv = shutil.which("pyenv")
    if pyenv:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            proc = subprocess.run(
                [pyenv, "prefix", line],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            for prefix in proc.stdout.split(os.pathsep):
                if proc.returncode == 0 and prefix.strip():
                    yield str(Path(prefix.strip()) / "bin" / "python")
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    for path in sorted((pyenv_root / "versions").glob(f"{line}.*/bin/python")):
        yield str(path)


def find_interpreter(line: str) -> Interpreter | None:
    """A working interpreter of the line ``line`` ("3.12"), or None."""
    wanted = tuple(int(part) for part in line.split("."))
    seen: set[str] = set()
    for candidate in _candidates(line):
        if candidate in seen:
            continue
        seen.add(candidate)
        interpreter = probe_interpreter(candidate)
        if interpreter is not None and interpreter.line == wanted:
            return interpreter
    return None


def django_pin(line: tuple[int, int]) -> str:
    try:
        return DJANGO_PINS[line]
    except KeyError:
        known = ", ".join(f"{major}.{minor}" for major, minor in DJANGO_PINS)
        raise ValueError(
            f"no Django pin for Python {line[0]}.{line[1]} (known: {known})"
        ) from None


def venv_key(interpreter: Interpreter, pin: str, pyproject: Path) -> str:
    """``py3.11-<hash>`` of what the environment is built from."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    document = json.dumps(
        {
            "interpreter": interpreter.description,
            "django": pin,
            "dependencies": data.get("project", {}).get("dependencies", []),
            "groups": data.get("dependency-groups", {}),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]
    return f"py{interpreter.line[0]}.{interpreter.line[1]}-{digest}"


@dataclass(frozen=True)
class BakedEnv:
    """A complete virtual environment for baked projects."""

    path: Path  # <root>/<key>
    key: str
    interpreter: Interpreter
    django_pin: str

    @property
    def bin_dir(self) -> Path:
        return self.path / "bin"

    @property
    def python(self) -> Path:
        return self.bin_dir / "python"

    @property
    def mypy_cache_dir(self) -> Path:
        return self.path / "mypy-cache"

    @property
    def pycache_dir(self) -> Path:
        return self.path / "pycache"

    def env(
        self, base: Mapping[str, str] | None = None, **extra: str
    ) -> dict[str, str]:
        """An environment for running a baked project's commands in this venv.

        Starts from ``base`` (default: this process's environment) without the
        variables that would change what is tested, puts this venv's ``bin``
        first on PATH, keeps mypy's cache and the bytecode in this venv (so a
        baked project gets no ``__pycache__``), then adds ``extra``.
        """
        source = dict(os.environ if base is None else base)
        env = {
            name: value
            for name, value in source.items()
            if name not in _STRIPPED_VARIABLES
            and not name.startswith(_STRIPPED_PREFIXES)
        }
        env["PATH"] = os.pathsep.join(
            part for part in (str(self.bin_dir), source.get("PATH", "")) if part
        )
        env["VIRTUAL_ENV"] = str(self.path)
        env["MYPY_CACHE_DIR"] = str(self.mypy_cache_dir)
        env["PYTHONPYCACHEPREFIX"] = str(self.pycache_dir)
        env.update(extra)
        return env

    def run(
        self, project: Path, *command: str, timeout: float = 900, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        """Run ``command`` in ``project`` with this venv; stdout and stderr merged."""
        return subprocess.run(
            list(command),
            cwd=project,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )


def _uv(*args: str) -> None:
    command = [find_uv_bin(), *args]
    proc = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=1800
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({proc.returncode}):\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )


def uv_install(venv: Path, pyproject: Path, pin: str) -> None:
    """The default installer: the dependencies and the dev group, and ``pin``."""
    pyproject = pyproject.resolve()
    _uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        str(venv / "bin" / "python"),
        "--requirements",
        str(pyproject),
        "--group",
        f"{pyproject}:dev",
        pin,
    )


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_env(
    pyproject: Path,
    interpreter: Interpreter,
    *,
    pin: str | None = None,
    root: Path | None = None,
    installer: Installer = uv_install,
) -> BakedEnv:
    """The environment for ``pyproject`` + ``pin`` under ``root``, built if needed."""
    pin = pin if pin is not None else django_pin(interpreter.line)
    key = venv_key(interpreter, pin, pyproject)
    path = (root if root is not None else default_root()) / key
    result = BakedEnv(path, key, interpreter, pin)
    if (path / COMPLETE_MARKER).is_file():
        return result
    with _locked(path.with_name(f"{key}.lock")):
        if (path / COMPLETE_MARKER).is_file():  # built while we waited
            return result
        shutil.rmtree(path, ignore_errors=True)  # what a killed build left
        try:
            _uv("venv", "--quiet", "--python", interpreter.executable, str(path))
            installer(path, pyproject, pin)
            (path / COMPLETE_MARKER).touch()
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
    return result


def env_for_project(
    project_dir: Path, interpreter: Interpreter, *, root: Path | None = None
) -> BakedEnv:
    """The environment for a baked project at ``project_dir``."""
    return ensure_env(project_dir / "pyproject.toml", interpreter, root=root)


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print("usage: python tests/baked_env.py PROJECT_DIR [PYTHON]", file=sys.stderr)
        return 2
    executable = argv[1] if len(argv) == 2 else sys.executable
    interpreter = probe_interpreter(executable)
    if interpreter is None:
        print(f"cannot run {executable}", file=sys.stderr)
        return 1
    print(env_for_project(Path(argv[0]), interpreter).path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
