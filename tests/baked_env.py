"""Virtual environments for baked projects, cached between test runs.

A baked project's checks need its dependencies and dev tools installed, which
takes a minute; the template's tests bake many projects with the same
requirements, so the environments are built once and kept in

    ${XDG_CACHE_HOME:-~/.cache}/cookiecutter-django-layered/venvs/<key>

where ``<key>`` hashes the interpreter's version, the Django pin and the
baked ``pyproject.toml``'s ``[project].dependencies`` and
``[dependency-groups].dev``. Change any of them and a new environment is
built; the old one stays until ``make clean-cache``.

Concurrency and crashes: a build holds an exclusive lock on ``<key>.lock``,
so two processes never build the same environment; it builds into a fresh
folder ``<key>.<random>`` and publishes it by renaming a symbolic link onto
``<key>`` (an atomic rename), so ``<key>`` is either absent or a complete
environment. (The folder itself is never renamed: a virtual environment's
scripts carry absolute paths.)

Usable on its own too: ``python tests/baked_env.py PROJECT_DIR [PYTHON]``
prints the path of the environment for a baked project.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Bump to invalidate every cached environment (a change in how they are built).
RECIPE_VERSION = "1"

# Which Django line each interpreter line is tested with.
DJANGO_PINS: dict[tuple[int, int], str] = {
    (3, 11): "Django>=5.2,<6.0",  # 5.2 LTS
    (3, 12): "Django>=6.1,<6.2",
}

COMPLETE_MARKER = ".baked-env-complete"

# Variables of the calling environment that must not leak into a baked
# project's commands: they would pick another interpreter, settings module,
# database or pytest configuration than the one under test.
_STRIPPED_VARIABLES = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
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

Installer = Callable[[Path, Sequence[str]], None]


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cookiecutter-django-layered"


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


def _group(groups: Mapping[str, list], name: str, seen: tuple[str, ...] = ()) -> list:
    """A dependency group's requirements, with ``include-group`` expanded."""
    if name in seen:
        raise ValueError(f"dependency group {name!r} includes itself")
    requirements = []
    for entry in groups.get(name, []):
        if isinstance(entry, dict) and "include-group" in entry:
            requirements += _group(groups, entry["include-group"], (*seen, name))
        else:
            requirements.append(entry)
    return requirements


def project_requirements(pyproject: Path) -> list[str]:
    """``[project].dependencies`` then ``[dependency-groups].dev``."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    dependencies = list(data.get("project", {}).get("dependencies", []))
    dev = _group(data.get("dependency-groups", {}), "dev")
    return dependencies + dev


def venv_key(interpreter: Interpreter, pin: str, requirements: Sequence[str]) -> str:
    document = json.dumps(
        {
            "recipe": RECIPE_VERSION,
            "interpreter": interpreter.description,
            "django": pin,
            "requirements": list(requirements),
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(document.encode("utf-8")).hexdigest()[:16]
    return f"py{interpreter.line[0]}.{interpreter.line[1]}-{digest}"


@dataclass(frozen=True)
class BakedEnv:
    """A complete, cached virtual environment for baked projects."""

    path: Path  # <cache>/venvs/<key>, a symbolic link to the real folder
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

    def env(
        self, base: Mapping[str, str] | None = None, **extra: str
    ) -> dict[str, str]:
        """An environment for running a baked project's commands in this venv.

        Starts from ``base`` (default: this process's environment) without the
        variables that would change what is tested, puts this venv's ``bin``
        first on PATH, points mypy at this venv's cache, then adds ``extra``.
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
        env["PYTHONDONTWRITEBYTECODE"] = "1"
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


def pip_install(venv_python: Path, requirements: Sequence[str]) -> None:
    """The default installer: upgrade pip, then install ``requirements``."""
    run = [str(venv_python), "-m", "pip", "--disable-pip-version-check"]
    for command in (
        [*run, "install", "--quiet", "--upgrade", "pip"],
        [*run, "install", "--quiet", *requirements],
    ):
        proc = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=1800
        )
        if proc.returncode != 0:
            raise RuntimeError(
                f"{' '.join(command)} failed ({proc.returncode}):\n"
                f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
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


def _is_complete(path: Path) -> bool:
    return (path / COMPLETE_MARKER).is_file() and (path / "bin" / "python").exists()


def _publish(venvs: Path, key: str, real: Path) -> None:
    """Point ``venvs/<key>`` at ``real`` with one atomic rename."""
    final = venvs / key
    if final.exists() and not final.is_symlink():  # not made by this module
        shutil.rmtree(final)
    link = venvs / f".{key}.{secrets.token_hex(4)}.link"
    link.symlink_to(real.name)
    os.replace(link, final)


def _sweep(venvs: Path, key: str) -> None:
    """Remove folders of ``key`` that the link does not point to (crashes)."""
    final = venvs / key
    current = final.resolve().name if final.is_symlink() else None
    for path in venvs.glob(f"{key}.*"):
        if path.name in (current, f"{key}.lock") or path.suffix == ".lock":
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
    for link in venvs.glob(f".{key}.*.link"):
        link.unlink(missing_ok=True)


def ensure_env(
    requirements: Sequence[str],
    interpreter: Interpreter,
    *,
    pin: str | None = None,
    root: Path | None = None,
    installer: Installer = pip_install,
    with_pip: bool = True,
) -> BakedEnv:
    """The cached environment for ``requirements`` + ``pin``, built if needed."""
    pin = pin if pin is not None else django_pin(interpreter.line)
    key = venv_key(interpreter, pin, requirements)
    venvs = (root if root is not None else cache_root()) / "venvs"
    final = venvs / key
    result = BakedEnv(final, key, interpreter, pin)
    if _is_complete(final):
        return result
    with _locked(venvs / f"{key}.lock"):
        if _is_complete(final):  # another process built it while we waited
            return result
        _sweep(venvs, key)
        real = venvs / f"{key}.{secrets.token_hex(4)}"
        try:
            venv_options = [] if with_pip else ["--without-pip"]
            subprocess.run(
                [interpreter.executable, "-m", "venv", *venv_options, str(real)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            installer(real / "bin" / "python", [*requirements, pin])
            (real / "mypy-cache").mkdir()
            (real / COMPLETE_MARKER).write_text(
                json.dumps(
                    {
                        "interpreter": interpreter.description,
                        "django": pin,
                        "requirements": list(requirements),
                    },
                    indent=2,
                )
                + "\n",
                encoding="utf-8",
            )
            _publish(venvs, key, real)
        except BaseException:
            shutil.rmtree(real, ignore_errors=True)
            raise
    return result


def env_for_project(
    project_dir: Path, interpreter: Interpreter, *, root: Path | None = None
) -> BakedEnv:
    """The cached environment for a baked project at ``project_dir``."""
    requirements = project_requirements(project_dir / "pyproject.toml")
    return ensure_env(requirements, interpreter, root=root)


def main(argv: Sequence[str]) -> int:
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
