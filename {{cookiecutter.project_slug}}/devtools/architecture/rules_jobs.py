"""``jobs-no-service``: jobs are called by services, never call them."""

import ast
from collections.abc import Iterator
from pathlib import Path

from .discovery import app_modules, layer_of
from .violations import Violation, parse_module, relative_path


def _imported_services(tree: ast.Module, app: str) -> Iterator[tuple[int, str]]:
    """(line, module) for each import of a services module, of any app."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            # ``from .services import x`` and ``from . import services`` too.
            base = ".".join(filter(None, [app if node.level else "", node.module]))
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) >= 2 and layer_of(parts[1]) == "services":
                yield node.lineno, ".".join(parts[:2])
                break


def check_jobs(root: Path, app: str) -> list[Violation]:
    """A job imports no services module (``services``, ``services_<topic>``)."""
    violations = []
    for path in app_modules(root, app, ["jobs"]):
        for line, module in _imported_services(parse_module(path), app):
            violations.append(
                Violation(
                    relative_path(root, path),
                    line,
                    "jobs-no-service",
                    f"a job imports {module}: a job loads fresh state through "
                    f"{app}/selectors.py and does one side effect; the workflow "
                    "belongs in the service, which queues the job with "
                    "transaction.on_commit(partial(job.delay, ...))",
                )
            )
    return violations
