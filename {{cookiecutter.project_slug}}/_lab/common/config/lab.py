"""The lab's progress, judged from the code: which steps are done, and why not.

``python manage.py lab_check`` prints this report (``--json`` for a gradebook).
A step is done when it has no finding. The checks read the code with ``ast``
(never importing it) and reuse the architecture rules of
``config/architecture.py``; steps that need tests run them: one pytest run of
the whole suite in a subprocess, whose per-file results each step reads. A
step that needs tests wants at least one test collected in each file it names,
and every test of those files passing.

docs/LAB.md describes the steps for students, docs/INSTRUCTOR.md for
instructors.
"""

import ast
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from config import architecture

LAB_APPS = ("orgs", "articles", "tasks")
# Reading these on a view decides who may do what: that is a permission.
RULE_FLAGS = ("is_admin", "is_staff", "is_superuser", "is_authenticated")
# ...and these, when a view compares them (the owners: with the user).
RULE_ROLE = "role"
RULE_OWNERS = ("author_id", "created_by_id", "assigned_to_id")
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
TEST_TIMEOUT = 600  # seconds
FAILURE_HINT_LENGTH = 160


@dataclass(frozen=True)
class Finding:
    """What is missing, where: one line a student can act on."""

    path: str
    line: int
    hint: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.hint}"


@dataclass(frozen=True)
class StepResult:
    id: str
    title: str
    findings: tuple[Finding, ...]

    @property
    def done(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "done": self.done,
            "findings": [
                {"path": f.path, "line": f.line, "hint": f.hint} for f in self.findings
            ],
        }


def report_dict(results: Sequence[StepResult]) -> dict[str, object]:
    """The ``--json`` document: a stable schema for gradebooks."""
    return {
        "steps": [result.as_dict() for result in results],
        "done": sum(result.done for result in results),
        "total": len(results),
    }


# Test results ---------------------------------------------------------------


@dataclass
class FileTests:
    passed: int = 0
    skipped: int = 0
    failures: list[Finding] = field(default_factory=list)


@dataclass
class SuiteRun:
    """Per-file outcome of one pytest run; ``error`` when it could not run."""

    files: dict[str, FileTests] = field(default_factory=dict)
    error: str | None = None

    def of(self, path: str) -> FileTests:
        return self.files.get(path, FileTests())


def _module_path(dotted: str) -> str:
    return dotted.replace(".", "/") + ".py"


def parse_junit(xml_text: str) -> dict[str, FileTests]:
    """Per-file counts and failures from pytest's xunit1 JUnit XML."""
    files: dict[str, FileTests] = {}
    root = ElementTree.fromstring(xml_text)  # noqa: S314 - our own pytest's output
    for case in root.iter("testcase"):
        path = case.get("file") or ""
        if not path.endswith(".py"):
            classname = case.get("classname") or case.get("name") or ""
            module = re.sub(r"(\.[A-Z]\w*)+$", "", classname)  # drop test classes
            path = _module_path(module) if module else "?"
        path = path.replace(os.sep, "/")
        result = files.setdefault(path, FileTests())
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            message = (problem.get("message") or "failed").strip().splitlines()
            first = message[0] if message else "failed"
            if first == "collection failure":  # the reason is in the traceback
                errors = [
                    line.removeprefix("E").strip()
                    for line in (problem.text or "").splitlines()
                    if line.startswith("E ")
                ]
                first = f"cannot be collected: {errors[-1] if errors else first}"
            name = case.get("name") or "collection"
            result.failures.append(
                Finding(
                    path,
                    int(case.get("line") or 0) + 1,
                    f"{name} fails: {first[:FAILURE_HINT_LENGTH]}",
                )
            )
        elif case.find("skipped") is not None:
            result.skipped += 1
        else:
            result.passed += 1
    return files


def run_tests(root: Path, paths: Sequence[str] = ()) -> SuiteRun:
    """Run pytest in ``root`` (the whole suite unless ``paths``), per file."""
    env = {
        name: value
        for name, value in os.environ.items()
        # The project's pytest configuration picks the test settings.
        if name != "DJANGO_SETTINGS_MODULE" and not name.startswith("PYTEST_")
    }
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--continue-on-collection-errors",
            f"--junitxml={report}",
            "-o",
            "junit_family=xunit1",
            *paths,
        ]
        try:
            proc = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
                command,
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                timeout=TEST_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return SuiteRun(error=f"the tests took longer than {TEST_TIMEOUT} s")
        if not report.is_file():
            tail = " ".join((proc.stdout + proc.stderr).split()[-30:])
            return SuiteRun(error=f"pytest did not run ({proc.returncode}): {tail}")
        return SuiteRun(files=parse_junit(report.read_text(encoding="utf-8")))


# Reading the code -----------------------------------------------------------


def parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None


def layer_files(root: Path, app: str, layer: str) -> list[Path]:
    """``app/<layer>.py`` and ``app/<layer>_<topic>.py``."""
    return architecture.app_modules(root, app, [layer])


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
        isinstance(child, ast.Attribute)
        and child.attr in architecture.MANAGER_ATTRIBUTES
        for child in ast.walk(node)
    )


def is_atomic(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Decorated with ``transaction.atomic``, or opening ``with ...atomic()``."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if architecture._name(target) == "atomic":
            return True
    for node in ast.walk(function):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                expr = item.context_expr
                target = expr.func if isinstance(expr, ast.Call) else expr
                if architecture._name(target) == "atomic":
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


# Findings shared by several steps --------------------------------------------


def missing_module(root: Path, app: str, layer: str, what: str) -> list[Finding]:
    if layer_files(root, app, layer):
        return []
    return [Finding(f"{app}/{layer}.py", 1, f"missing: create it and {what}")]


def view_violations(root: Path, app: str, rules: Iterable[str]) -> list[Finding]:
    wanted = set(rules)
    return [
        Finding(v.path, v.line, v.message)
        for v in architecture.check_views(root, app)
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
                    f"a view writes ({architecture._short(call.func)}()): move "
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
                    f"a view decides a rule itself ({architecture._short(node)}): "
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


# The steps --------------------------------------------------------------------

Check = Callable[[Path, SuiteRun], list[Finding]]


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    check: Check
    needs_tests: bool = True


def selectors_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "selectors", "move the views' queries into functions there"
        )
        for path in layer_files(root, app, "selectors"):
            tree = parse(path)
            if tree is None or not any(has_query(f) for f in public_functions(tree)):
                findings.append(
                    Finding(
                        relative(root, path),
                        1,
                        "no function here queries the database yet: move the "
                        "views' queries into functions of this module",
                    )
                )
        findings += view_violations(root, app, ["views-no-orm"])
        findings += views_use(root, app, "selectors")
        findings += tests_pass(root, tests, [f"{app}/tests/test_selectors.py"])
        return findings

    return Step(
        f"{app}-selectors",
        f"{app}: every query lives in {app}/selectors.py and the views call it",
        check,
    )


def services_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "services", "move the views' writes into functions there"
        )
        services = [parse(path) for path in layer_files(root, app, "services")]
        if services and not any(
            is_atomic(f) and any(writes(f))
            for tree in services
            if tree is not None
            for f in public_functions(tree)
        ):
            findings.append(
                Finding(
                    f"{app}/services.py",
                    1,
                    "no @transaction.atomic function here writes yet: move a "
                    "workflow of the views here",
                )
            )
        findings += view_violations(
            root, app, ["views-no-transaction", "views-no-mail"]
        )
        findings += view_writes(root, app)
        findings += [
            Finding(v.path, v.line, v.message)
            for v in architecture.check_services(root, app)
        ]
        findings += views_use(root, app, "services")
        findings += tests_pass(root, tests, [f"{app}/tests/test_services*.py"])
        return findings

    return Step(
        f"{app}-services",
        f"{app}: writes and side effects live in {app}/services.py "
        "(atomic, mail after commit)",
        check,
    )


def permissions_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "permissions", "write the rules as can_<action>_<thing>()"
        )
        for path in layer_files(root, app, "permissions"):
            tree = parse(path)
            if tree is None or not any(
                f.name.startswith("can_") for f in public_functions(tree)
            ):
                findings.append(
                    Finding(
                        relative(root, path),
                        1,
                        "no can_<action>_<thing>() function here yet",
                    )
                )
        findings += [
            Finding(v.path, v.line, v.message)
            for v in architecture.check_permissions(root, app)
        ]
        findings += inline_rules(root, app)
        findings += views_use(
            root, app, "permissions", name=lambda n: n.startswith("can_")
        )
        findings += tests_pass(root, tests, [f"{app}/tests/test_permissions.py"])
        return findings

    return Step(
        f"{app}-permissions",
        f"{app}: who may do what lives in {app}/permissions.py",
        check,
    )


def views_thin(root: Path, tests: SuiteRun) -> list[Finding]:
    findings = []
    for app in architecture.discover_apps(root):
        findings += view_violations(
            root, app, ["views-no-orm", "views-no-transaction", "views-no-mail"]
        )
        findings += view_writes(root, app)
    return findings


def layer_tests(root: Path, tests: SuiteRun) -> list[Finding]:
    patterns = [
        f"{app}/tests/{name}"
        for app in LAB_APPS
        for name in ("test_selectors.py", "test_services*.py", "test_permissions.py")
    ]
    return tests_pass(root, tests, patterns)


def checks(root: Path, tests: SuiteRun) -> list[Finding]:
    findings = []
    code, ruff = _tool(root, "ruff", "check", "--output-format=concise", ".")
    for line in ruff.splitlines():
        match = re.match(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: (?P<msg>.+)$", line)
        if match:
            findings.append(
                Finding(match["path"], int(match["line"]), f"ruff: {match['msg']}")
            )
    if code not in (0, 1) or (code == 1 and not findings):
        findings.append(Finding("ruff", 0, f"ruff did not run: {_last(ruff)}"))
    code, black = _tool(root, "black", "--check", ".")
    reformat = [
        line.removeprefix("would reformat ").strip()
        for line in black.splitlines()
        if line.startswith("would reformat ")
    ]
    for name in reformat:
        path = Path(name)
        shown = relative(root, path) if path.is_absolute() else name
        findings.append(Finding(shown, 1, "black would reformat it: run black ."))
    if code not in (0, 1) or (code == 1 and not reformat):
        findings.append(Finding("black", 0, f"black did not run: {_last(black)}"))
    findings += [
        Finding(v.path, v.line, f"[{v.rule}] {v.message}")
        for v in architecture.check_project(root)
    ]
    if tests.error:
        findings.append(Finding("pytest", 0, tests.error))
    for test_file in sorted(tests.files):
        findings += tests.files[test_file].failures
    findings += layer_tests(root, tests)
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.hint))


def _last(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1][:FAILURE_HINT_LENGTH] if lines else "no output"


def _tool(root: Path, module: str, *args: str) -> tuple[int, str]:
    """Run ``python -m module args`` in ``root``: its exit status and output."""
    try:
        proc = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
            [sys.executable, "-m", module, *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return -1, f"{module}: could not run: {error}"
    return proc.returncode, proc.stdout + proc.stderr


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


STEPS: tuple[Step, ...] = (
    *(
        make(app)
        for app in LAB_APPS
        for make in (selectors_step, services_step, permissions_step)
    ),
    Step(
        "views-thin",
        "views are orchestration only: no .objects, no transaction, no mail, "
        "no save()",
        views_thin,
        needs_tests=False,
    ),
    Step(
        "layer-tests",
        "tests for the selectors, services and permissions of orgs, articles "
        "and tasks, all passing",
        layer_tests,
    ),
    Step(
        "checks",
        "ruff, black, the architecture rules and every test pass",
        checks,
    ),
    Step(
        "exercise-1",
        "exercise 1: orgs/selectors.py has is_member() and get_membership(), "
        "used by the views",
        exercise_1,
    ),
    Step(
        "exercise-2",
        "exercise 2: orgs/services_invites.py sends the invite through an "
        "injectable send_func, with tests",
        exercise_2,
    ),
    Step(
        "exercise-3",
        "exercise 3: the task list and the CSV export share one filtering " "selector",
        exercise_3,
        needs_tests=False,
    ),
    Step(
        "exercise-4",
        "exercise 4: core/exceptions.py has DomainError, raised by a service",
        exercise_4,
        needs_tests=False,
    ),
    Step(
        "exercise-5",
        "exercise 5: the README's Architecture section says where queries, "
        "workflows and permissions go",
        exercise_5,
        needs_tests=False,
    ),
)


def check_lab(
    root: Path,
    *,
    steps: Sequence[Step] = STEPS,
    run: Callable[[Path], SuiteRun] = run_tests,
) -> list[StepResult]:
    """Every step's result; the tests run once, and only if a step needs them."""
    tests = run(root) if any(step.needs_tests for step in steps) else SuiteRun()
    results = []
    for step in steps:
        findings = step.check(root, tests)
        unique = sorted(set(findings), key=lambda f: (f.path, f.line, f.hint))
        results.append(StepResult(step.id, step.title, tuple(unique)))
    return results
