"""``no-config-settings-import``: settings come from ``django.conf``."""

import ast
from pathlib import Path

from .discovery import project_python_files
from .violations import Violation, parse_module, relative_path

# Where ``config.settings`` may be imported: the settings themselves and
# their own tests.
SETTINGS_IMPORT_ALLOWED = ("config/settings/", "tests/test_settings.py")


def _absolute_module(path: Path, root: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = path.relative_to(root).parent.parts
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*base, *([node.module] if node.module else [])])


def _may_import_config(path: Path) -> bool:
    """Cheap text test, so only the few candidate modules are parsed."""
    text = path.read_text(encoding="utf-8")
    return "config" in text or "from ." in text


def check_settings_imports(root: Path) -> list[Violation]:
    """Nothing imports ``config.settings``: ``django.conf.settings`` is the way."""
    violations = []
    for path in project_python_files(root):
        rel = relative_path(root, path)
        if rel.startswith(SETTINGS_IMPORT_ALLOWED) or not _may_import_config(path):
            continue
        for node in ast.walk(parse_module(path)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute_module(path, root, node)
                modules = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            hits = [m for m in modules if f"{m}.".startswith("config.settings.")]
            if hits:
                violations.append(
                    Violation(
                        rel,
                        node.lineno,
                        "no-config-settings-import",
                        f"imports {hits[-1]}: read settings through "
                        "`from django.conf import settings` (settings.NAME), so "
                        "the active settings module (dev, test, prod) decides",
                    )
                )
    return violations
