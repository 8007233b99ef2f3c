"""The five exercises after the refactoring."""

import ast
import re
from pathlib import Path

from devtools.architecture.discovery import discover_apps
from devtools.architecture.violations import MANAGER_ATTRIBUTES, calls, name_of, short

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
                "missing: create it with is_member(*, user, organization) and "
                "get_membership(*, user, org_slug)",
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
                called in ("is_member", "get_membership")
                for _, called in calls_into(view_tree, names)
            )
            for node in ast.walk(view_tree):
                if (
                    isinstance(node, ast.Attribute)
                    and node.attr in MANAGER_ATTRIBUTES
                    and short(node.value) == "Membership"
                ):
                    findings.append(
                        Finding(
                            relative(root, view),
                            node.lineno,
                            "a view looks memberships up itself: call "
                            "orgs.selectors.get_membership() (or is_member()) "
                            "and answer its None with found_or_404()",
                        )
                    )
    if not used:
        findings.append(
            Finding(
                "orgs/views.py",
                1,
                "no view calls is_member() or get_membership() from "
                "orgs.selectors yet",
            )
        )
    findings += tests_pass(root, tests, ["orgs/tests/test_selectors.py"])
    return findings


def _mentioned(tree: ast.Module) -> set[str]:
    """The names, arguments (fixtures) and attributes the code mentions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found


def exercise_2(root: Path, tests: SuiteRun) -> list[Finding]:
    path = root / "orgs" / "services_invites.py"
    tree = parse(path) if path.is_file() else None
    if tree is None:
        return [
            Finding(
                "orgs/services_invites.py",
                1,
                "missing: write the invite service; it sends its e-mail with "
                "transaction.on_commit",
            )
        ]
    findings = []
    if not any(name_of(call.func) == "on_commit" for call in calls(tree)):
        findings.append(
            Finding(
                "orgs/services_invites.py",
                1,
                "no service registers the invite e-mail with "
                "transaction.on_commit(partial(send_..., ...)): a rolled-back "
                "invite must mail nobody",
            )
        )
    test_path = root / "orgs" / "tests" / "test_services_invites.py"
    test_tree = parse(test_path) if test_path.is_file() else None
    mentioned = _mentioned(test_tree) if test_tree is not None else set()
    reads_mail = bool({"mailoutbox", "outbox"} & mentioned)  # or mail.outbox
    if test_tree is not None and not (
        "django_capture_on_commit_callbacks" in mentioned and reads_mail
    ):
        findings.append(
            Finding(
                "orgs/tests/test_services_invites.py",
                1,
                "no test runs the on-commit callbacks "
                "(django_capture_on_commit_callbacks(execute=True)) and reads "
                "the e-mail sent from mailoutbox (or mail.outbox)",
            )
        )
    findings += tests_pass(root, tests, ["orgs/tests/test_services_invites.py"])
    return findings


def _url_views(root: Path, app: str) -> dict[str, str]:
    """URL name -> view function name, from ``app/urls.py``."""
    tree = parse(root / app / "urls.py")
    found: dict[str, str] = {}
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and name_of(node.func) == "path":
            url_name = next(
                (
                    k.value.value
                    for k in node.keywords
                    if k.arg == "name" and isinstance(k.value, ast.Constant)
                ),
                None,
            )
            if isinstance(url_name, str) and len(node.args) >= 2:
                view = name_of(node.args[1])
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
                        f"({short(node.func)}): let both views call one "
                        "selector, tasks.selectors.list_tasks()",
                    )
                )
    if not called[0] & called[1]:
        findings.append(
            Finding(
                "tasks/views.py",
                defined[urls["export"]].lineno,
                f"{urls['list']}() and {urls['export']}() call no common "
                "function of tasks/selectors.py: give both one selector, "
                "list_tasks(*, organization, actor, filters)",
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
                or any(name_of(base) in classes for base in node.bases)
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
    for app in discover_apps(root):
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
                    raised = name_of(exc)
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
