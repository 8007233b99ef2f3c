"""The five exercises after the refactoring."""

import ast
import re
from pathlib import Path

from config import architecture

from .findings import Finding
from .reading import (
    calls_into,
    functions,
    has_query,
    imported_from,
    layer_files,
    layer_module,
    parse,
    relative,
)
from .step import LAB_APPS
from .step_findings import tests_pass
from .testrun import SuiteRun


def exercise_1(root: Path, tests: SuiteRun) -> list[Finding]:
    path = root / "orgs" / "selectors.py"
    tree = parse(path) if path.is_file() else None
    if tree is None:
        return [
            Finding(
                "orgs/selectors.py",
                1,
                "missing: create it with is_member() and get_membership()",
            )
        ]
    findings = []
    defined = {f.name: f for f in functions(tree)}
    for name in ("is_member", "get_membership"):
        if name not in defined:
            findings.append(Finding("orgs/selectors.py", 1, f"define {name}()"))
        elif not has_query(defined[name]):
            findings.append(
                Finding(
                    "orgs/selectors.py",
                    defined[name].lineno,
                    f"{name}() runs no query: look the membership up here",
                )
            )
    used = False
    for app in LAB_APPS:
        for view in layer_files(root, app, "views"):
            view_tree = parse(view)
            if view_tree is None:
                continue
            names = imported_from(view_tree, layer_module("orgs", "selectors"))
            used = used or any(
                called == "is_member" or called.startswith("get_membership")
                for _, called in calls_into(view_tree, names)
            )
            for node in ast.walk(view_tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in architecture.MANAGER_ATTRIBUTES
                    and architecture._short(node.value) == "Membership"
                ):
                    findings.append(
                        Finding(
                            relative(root, view),
                            node.lineno,
                            "a view looks memberships up itself: call "
                            "orgs.selectors.get_membership() (or is_member())",
                        )
                    )
    if not used:
        findings.append(
            Finding(
                "orgs/views.py",
                1,
                "no view calls is_member() or get_membership*() from "
                "orgs.selectors yet",
            )
        )
    findings += tests_pass(root, tests, ["orgs/tests/test_selectors.py"])
    return findings


def exercise_2(root: Path, tests: SuiteRun) -> list[Finding]:
    path = root / "orgs" / "services_invites.py"
    tree = parse(path) if path.is_file() else None
    if tree is None:
        return [
            Finding(
                "orgs/services_invites.py",
                1,
                "missing: write the invite service, with a send_func parameter",
            )
        ]
    findings = []
    takes_sender = [
        f
        for f in functions(tree)
        if any(arg.arg == "send_func" for arg in (*f.args.args, *f.args.kwonlyargs))
    ]
    if not takes_sender:
        findings.append(
            Finding(
                "orgs/services_invites.py",
                1,
                "no function takes a send_func: let callers (and tests) pass "
                "the function that sends the invite e-mail",
            )
        )
    test_path = root / "orgs" / "tests" / "test_services_invites.py"
    test_tree = parse(test_path) if test_path.is_file() else None
    if test_tree is not None and not any(
        isinstance(node, ast.keyword) and node.arg == "send_func"
        for node in ast.walk(test_tree)
    ):
        findings.append(
            Finding(
                "orgs/tests/test_services_invites.py",
                1,
                "no test passes a fake send_func=... to check the e-mail sent",
            )
        )
    findings += tests_pass(root, tests, ["orgs/tests/test_services_invites.py"])
    return findings


def _url_views(root: Path, app: str) -> dict[str, str]:
    """URL name -> view function name, from ``app/urls.py``."""
    tree = parse(root / app / "urls.py")
    found: dict[str, str] = {}
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and architecture._name(node.func) == "path":
            url_name = next(
                (
                    k.value.value
                    for k in node.keywords
                    if k.arg == "name" and isinstance(k.value, ast.Constant)
                ),
                None,
            )
            if isinstance(url_name, str) and len(node.args) >= 2:
                view = architecture._name(node.args[1])
                if view:
                    found[url_name] = view
    return found


def exercise_3(root: Path, tests: SuiteRun) -> list[Finding]:
    views_path = root / "tasks" / "views.py"
    tree = parse(views_path) if views_path.is_file() else None
    urls = _url_views(root, "tasks")
    if tree is None or "list" not in urls or "export" not in urls:
        return [Finding("tasks/views.py", 1, "the task list and export views")]
    defined = {f.name: f for f in functions(tree)}
    names = imported_from(tree, layer_module("tasks", "selectors"))
    findings = []
    called: list[set[str]] = []
    for url_name in ("list", "export"):
        function = defined.get(urls[url_name])
        if function is None:
            return [Finding("tasks/views.py", 1, f"no view {urls[url_name]}()")]
        called.append({name for _, name in calls_into(function, names)})
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("filter", "exclude")
                and (
                    isinstance(node.func.value, ast.Name)
                    or "Task.objects" in ast.unparse(node.func.value)
                )
            ):
                findings.append(
                    Finding(
                        "tasks/views.py",
                        node.lineno,
                        f"{function.name}() filters the tasks itself "
                        f"({architecture._short(node.func)}): call the selector "
                        "the other view calls",
                    )
                )
    if not called[0] & called[1]:
        findings.append(
            Finding(
                "tasks/views.py",
                defined[urls["export"]].lineno,
                f"{urls['list']}() and {urls['export']}() call no common "
                "function of tasks/selectors.py: give both one filtering "
                "selector",
            )
        )
    return findings


def exercise_4(root: Path, tests: SuiteRun) -> list[Finding]:
    path = root / "core" / "exceptions.py"
    tree = parse(path) if path.is_file() else None
    classes: set[str] = set()
    if tree is not None:
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and (
                node.name == "DomainError"
                or any(architecture._name(base) in classes for base in node.bases)
            ):
                classes.add(node.name)
    if "DomainError" not in classes:
        return [
            Finding(
                "core/exceptions.py",
                1,
                "missing: define class DomainError(Exception) here",
            )
        ]
    for app in architecture.discover_apps(root):
        for service in layer_files(root, app, "services"):
            service_tree = parse(service)
            if service_tree is None:
                continue
            names = imported_from(service_tree, lambda m: m == "core.exceptions")
            for found in ast.walk(service_tree):
                if isinstance(found, ast.Raise) and found.exc is not None:
                    exc = (
                        found.exc.func if isinstance(found.exc, ast.Call) else found.exc
                    )
                    raised = architecture._name(exc)
                    base = exc.value if isinstance(exc, ast.Attribute) else None
                    if raised in classes and (
                        names.get(raised) == "object"
                        or (
                            isinstance(base, ast.Name)
                            and names.get(base.id) == "module"
                        )
                    ):
                        return []
    return [
        Finding(
            "core/exceptions.py",
            1,
            "no service raises DomainError (or a subclass) yet: raise one for "
            'a broken rule, e.g. DomainError("Cannot publish without a body")',
        )
    ]


README_TOPICS = (
    ("selectors", "quer", "where queries go (selectors)"),
    ("services", "workflow", "where workflows go (services)"),
    ("permissions", "permission", "where permissions go (permissions)"),
)


def exercise_5(root: Path, tests: SuiteRun) -> list[Finding]:
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    lines = text.splitlines()
    start = next(
        (
            number
            for number, line in enumerate(lines)
            if re.match(r"^#{1,6}\s.*architecture", line, re.IGNORECASE)
        ),
        None,
    )
    if start is None:
        return [Finding("README.md", 1, "add an '## Architecture' section")]
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    section = [lines[start]]
    for line in lines[start + 1 :]:
        heading = re.match(r"^(#{1,6})\s", line)
        if heading and len(heading.group(1)) <= level:
            break
        section.append(line)
    body = "\n".join(section).lower()
    return [
        Finding("README.md", start + 1, f"the Architecture section does not say {what}")
        for module, topic, what in README_TOPICS
        if module not in body or topic not in body
    ]
