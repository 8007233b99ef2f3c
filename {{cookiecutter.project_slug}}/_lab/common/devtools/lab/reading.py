"""Reading the code with ``ast``: modules, functions, queries, writes, calls."""

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from devtools.architecture.discovery import app_modules
from devtools.architecture.violations import MANAGER_ATTRIBUTES, name_of

# Model and form methods that write: a view calling one runs a workflow.
WRITE_METHODS = (
    "save",
    "delete",
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "save_m2m",
)


def parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None


def layer_files(root: Path, app: str, layer: str) -> list[Path]:
    """``app/<layer>.py`` and ``app/<layer>_<topic>.py``."""
    return app_modules(root, app, [layer])


def functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's top-level functions."""
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def public_functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in functions(tree) if not node.name.startswith("_")]


def has_query(node: ast.AST) -> bool:
    return any(
        isinstance(child, ast.Attribute) and child.attr in MANAGER_ATTRIBUTES
        for child in ast.walk(node)
    )


def is_atomic(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Decorated with ``transaction.atomic``, or opening ``with ...atomic()``."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if name_of(target) == "atomic":
            return True
    for node in ast.walk(function):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                expr = item.context_expr
                target = expr.func if isinstance(expr, ast.Call) else expr
                if name_of(target) == "atomic":
                    return True
    return False


def writes(node: ast.AST) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if (
            isinstance(child, ast.Call)
            and isinstance(child.func, ast.Attribute)
            and child.func.attr in WRITE_METHODS
        ):
            yield child


def imported_from(tree: ast.Module, wanted: Callable[[str], bool]) -> dict[str, str]:
    """Local names bound to modules or objects of the modules ``wanted`` accepts.

    ``{"selectors": "module", "get_task": "function"}`` for
    ``from tasks import selectors`` and ``from tasks.selectors import get_task``.
    """
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                local = alias.asname or alias.name
                if wanted(f"{node.module}.{alias.name}"):
                    names[local] = "module"
                elif wanted(node.module):
                    names[local] = "object"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if wanted(alias.name) and alias.asname:
                    names[alias.asname] = "module"
    return names


def calls_into(node: ast.AST, names: dict[str, str]) -> Iterator[tuple[ast.Call, str]]:
    """Calls in ``node`` of what ``names`` holds, with the called function's name."""
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        if isinstance(func, ast.Name) and names.get(func.id) == "object":
            yield child, func.id
        elif (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and names.get(func.value.id) == "module"
        ):
            yield child, func.attr


def layer_module(app: str, layer: str) -> Callable[[str], bool]:
    pattern = re.compile(rf"^{re.escape(app)}\.{layer}(_[a-z0-9_]+)?$")
    return lambda module: bool(pattern.match(module))


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
