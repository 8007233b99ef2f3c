"""The domain apps, their layers and modules, and the project's Python files."""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

# The layers a module of a domain app may belong to; ``<layer>_<topic>.py``
# belongs to its layer.
LAYERS = (
    "models",
    "admin",
    "apps",
    "urls",
    "views",
    "forms",
    "serializers",
    "selectors",
    "services",
    "permissions",
    "types",
    "jobs",
    "api",
)
# Packages and modules an app may hold besides its layer modules.
APP_PACKAGES = ("migrations", "tests", "management", "templatetags")
APP_EXTRA_MODULES = ("__init__", "conftest")
# Top-level packages that are not domain apps.
NOT_DOMAIN_APPS = ("config", "core", "devtools")

_MODULE_NAME = re.compile(r"^(?P<layer>[a-z]+)(?:_(?P<topic>[a-z0-9][a-z0-9_]*))?$")


def is_package(path: Path) -> bool:
    return path.is_dir() and (path / "__init__.py").is_file()


def discover_apps(root: Path) -> list[str]:
    """Top-level packages with an ``apps.py``, except ``NOT_DOMAIN_APPS``."""
    return sorted(
        path.name
        for path in root.iterdir()
        if is_package(path)
        and (path / "apps.py").is_file()
        and path.name not in NOT_DOMAIN_APPS
    )


def layer_of(module: str) -> str | None:
    """``services`` for ``services`` and ``services_email``; None: no layer."""
    match = _MODULE_NAME.match(module)
    if match is None or match["layer"] not in LAYERS:
        return None
    return match["layer"]


def app_modules(root: Path, app: str, layers: Iterable[str]) -> list[Path]:
    """The app's top-level modules of these layers, topic modules included."""
    wanted = set(layers)
    return sorted(
        path for path in (root / app).glob("*.py") if layer_of(path.stem) in wanted
    )


def project_python_files(root: Path) -> Iterator[Path]:
    """Top-level modules and every module of the project's top-level packages."""
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix == ".py":
            yield path
        elif is_package(path):
            for module in sorted(path.rglob("*.py")):
                if "__pycache__" not in module.parts:
                    yield module
