"""Findings shared by several steps: missing modules, fat views, tests."""

import ast
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from devtools.architecture.rules_views import check_views
from devtools.architecture.violations import short

from .findings import Finding
from .reading import (
    calls_into,
    imported_from,
    layer_files,
    layer_module,
    parse,
    relative,
    writes,
)
from .testrun import SuiteRun

# Reading these on a view decides who may do what: that is a permission.
RULE_FLAGS = ("is_admin", "is_staff", "is_superuser", "is_authenticated", "has_perm")
# ...and these, when a view compares them (the owners: with the user).
RULE_ROLE = "role"
RULE_OWNERS = ("author_id", "created_by_id", "assigned_to_id")


def missing_module(root: Path, app: str, layer: str, what: str) -> list[Finding]:
    if layer_files(root, app, layer):
        return []
    return [Finding(f"{app}/{layer}.py", 1, f"missing: create it and {what}")]


def view_violations(root: Path, app: str, rules: Iterable[str]) -> list[Finding]:
    wanted = set(rules)
    return [
        Finding(v.path, v.line, v.message)
        for v in check_views(root, app)
        if v.rule in wanted
    ]


def views_use(
    root: Path, app: str, layer: str, *, name: Callable[[str], bool] | None = None
) -> list[Finding]:
    """The app's views call a function of ``app.<layer>`` (whose name fits)."""
    views = layer_files(root, app, "views")
    for path in views:
        tree = parse(path)
        if tree is None:
            continue
        names = imported_from(tree, layer_module(app, layer))
        if any(name is None or name(called) for _, called in calls_into(tree, names)):
            return []
    return [
        Finding(
            f"{app}/views.py",
            1,
            f"the views call nothing from {app}/{layer}.py: import it and "
            "call it where the view does the work itself today",
        )
    ]


def view_writes(root: Path, app: str) -> list[Finding]:
    findings = []
    for path in layer_files(root, app, "views"):
        tree = parse(path)
        for call in writes(tree) if tree else ():
            findings.append(
                Finding(
                    relative(root, path),
                    call.lineno,
                    f"a view writes ({short(call.func)}()): move "
                    f"the workflow to a service in {app}/services.py",
                )
            )
    return findings


def _rule_reads(tree: ast.Module) -> Iterator[ast.Attribute]:
    """Where a view decides who may do what: flags, roles, ownership tests."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in RULE_FLAGS:
            yield node
        elif isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            text = " ".join(ast.unparse(part) for part in parts)
            for part in parts:
                for child in ast.walk(part):
                    if not isinstance(child, ast.Attribute):
                        continue
                    if child.attr == RULE_ROLE or (
                        child.attr in RULE_OWNERS and "user" in text
                    ):
                        yield child


def inline_rules(root: Path, app: str) -> list[Finding]:
    findings = []
    for path in layer_files(root, app, "views"):
        tree = parse(path)
        seen: set[int] = set()
        for node in _rule_reads(tree) if tree else ():
            if node.lineno in seen:
                continue
            seen.add(node.lineno)
            findings.append(
                Finding(
                    relative(root, path),
                    node.lineno,
                    f"a view decides a rule itself ({short(node)}): "
                    f"who may do it goes to a can_<action>_<thing>() in "
                    f"{app}/permissions.py, what must hold whoever asks to "
                    f"{app}/services.py",
                )
            )
    return sorted(findings, key=lambda f: f.line)


def tests_pass(root: Path, tests: SuiteRun, patterns: Iterable[str]) -> list[Finding]:
    """Each pattern matches a test file with a passing test and no failing one."""
    if tests.error:
        return [Finding("pytest", 0, tests.error)]
    findings = []
    for pattern in patterns:
        paths = sorted(relative(root, p) for p in root.glob(pattern))
        if not paths:
            findings.append(
                Finding(
                    pattern.replace("*", ""),
                    1,
                    "missing: write these tests (see docs/LAB.md, step 4)",
                )
            )
        for path in paths:
            result = tests.of(path)
            findings += result.failures
            if not result.failures and not result.passed:
                findings.append(
                    Finding(path, 1, "no test ran here: write at least one test")
                )
    return findings
