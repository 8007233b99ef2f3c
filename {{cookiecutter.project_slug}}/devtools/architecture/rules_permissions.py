"""``permissions-no-query``: permission functions run no query."""

import ast
from pathlib import Path

from .discovery import app_modules
from .violations import (
    Violation,
    calls,
    manager_accesses,
    parse_module,
    relative_path,
    short,
)

# QuerySet and manager methods: a permission that calls one runs a query.
QUERY_METHODS = (
    "all",
    "filter",
    "exclude",
    "exists",
    "count",
    "aggregate",
    "annotate",
    "values",
    "values_list",
    "first",
    "last",
    "earliest",
    "latest",
    "select_related",
    "prefetch_related",
    "order_by",
    "in_bulk",
    "raw",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "refresh_from_db",
    "cursor",
)


def check_permissions(root: Path, app: str) -> list[Violation]:
    """Permissions are pure functions of their arguments: no query."""
    violations = []
    for path in app_modules(root, app, ["permissions"]):
        rel = relative_path(root, path)
        tree = parse_module(path)
        found: list[tuple[int, str]] = [
            (node.lineno, short(node)) for node in manager_accesses(tree)
        ]
        found += [
            (call.lineno, f"{short(call.func)}()")
            for call in calls(tree)
            if isinstance(call.func, ast.Attribute)
            and call.func.attr in QUERY_METHODS
            and not (
                isinstance(call.func.value, ast.Name)
                and call.func.value.id in ("self", "cls", "super")
            )
        ]
        for line, what in sorted(set(found)):
            violations.append(
                Violation(
                    rel,
                    line,
                    "permissions-no-query",
                    f"a permission runs a query ({what}): fetch what it needs "
                    f"with a selector in {app}/selectors.py, called by the view, "
                    "and pass the objects in",
                )
            )
    return violations
