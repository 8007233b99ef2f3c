"""``models-no-upward-import`` and ``module-without-layer``."""

import ast
from collections.abc import Iterator
from pathlib import Path

from .discovery import APP_EXTRA_MODULES, APP_PACKAGES, app_modules, layer_of
from .violations import Violation, parse_module, relative_path

# What a models module may not import (by the imported module's layer).
ABOVE_MODELS = (
    "services",
    "selectors",
    "forms",
    "serializers",
    "views",
    "admin",
    "api",
    "jobs",
)


# Models ---------------------------------------------------------------------


def _imported_modules(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def check_models(root: Path, app: str) -> list[Violation]:
    """Models import no services, selectors, forms or views, of any app."""
    violations = []
    for path in app_modules(root, app, ["models"]):
        tree = parse_module(path)
        seen: set[tuple[int, str]] = set()
        for line, module in _imported_modules(tree):
            parts = module.split(".")
            if len(parts) < 2 or parts[0] in ("django",):
                continue
            layer = layer_of(parts[1])
            if layer in ABOVE_MODELS and (line, parts[1]) not in seen:
                seen.add((line, parts[1]))
                violations.append(
                    Violation(
                        relative_path(root, path),
                        line,
                        "models-no-upward-import",
                        f"a model imports {parts[0]}.{parts[1]} ({layer}): "
                        "models sit below every layer; move the code that needs "
                        f"it to {app}/services.py, or call it from there",
                    )
                )
    return violations


# Every module in a layer ----------------------------------------------------


def check_layers(root: Path, app: str) -> list[Violation]:
    """Every module of the app belongs to a layer (or an allowed package)."""
    violations = []
    folder = root / app
    hint = (
        "move its code into the layer it serves (reads: selectors.py, writes: "
        "services.py, policy: permissions.py, plain data: types.py) or name it "
        "<layer>_<topic>.py"
    )
    for path in sorted(folder.iterdir()):
        rel = relative_path(root, path)
        if path.is_file() and path.suffix == ".py":
            if path.stem not in APP_EXTRA_MODULES and layer_of(path.stem) is None:
                violations.append(
                    Violation(
                        rel,
                        1,
                        "module-without-layer",
                        f"{rel} belongs to no layer: {hint} "
                        f"(e.g. {app}/services_{path.stem.strip('_')}.py)",
                    )
                )
        elif (
            path.is_dir()
            and path.name not in APP_PACKAGES
            and path.name != "__pycache__"
            and any(path.rglob("*.py"))
        ):
            violations.append(
                Violation(
                    f"{rel}/",
                    1,
                    "module-without-layer",
                    f"the package {rel}/ belongs to no layer: {hint}; an app "
                    f"holds only layer modules and {', '.join(APP_PACKAGES)}/",
                )
            )
    return violations
