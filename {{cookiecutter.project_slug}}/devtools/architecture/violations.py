"""A broken rule (``Violation``) and the code-reading helpers every rule shares."""

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MANAGER_ATTRIBUTES = ("objects", "_default_manager", "_base_manager")


@dataclass(frozen=True)
class Violation:
    """One broken rule: where, which rule, and where the code belongs."""

    path: str  # relative to the project root, POSIX
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


# Reading the code -----------------------------------------------------------


def relative_path(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def parse_module(path: Path) -> ast.Module:
    stat = path.stat()
    return _parse_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _parse_cached(path: str, mtime_ns: int, size: int) -> ast.Module:
    """Parsed once per version of a file: several rules read the same module."""
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)


def name_of(node: ast.expr) -> str | None:
    """``send_mail`` for ``send_mail`` and ``mail.send_mail``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def manager_accesses(tree: ast.AST) -> Iterator[ast.Attribute]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES:
            yield node


def calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node
