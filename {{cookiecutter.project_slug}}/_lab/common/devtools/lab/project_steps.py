"""The whole-project steps: thin views, layer tests, every check passing."""

import re
import subprocess
import sys
from pathlib import Path

from devtools.architecture.discovery import discover_apps
from devtools.architecture.project import check_project

from .findings import Finding
from .reading import relative
from .step import LAB_APPS
from .step_findings import tests_pass, view_violations, view_writes
from .testrun import FAILURE_HINT_LENGTH, SuiteRun


def views_thin(root: Path, tests: SuiteRun) -> list[Finding]:
    findings = []
    for app in discover_apps(root):
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
        Finding(v.path, v.line, f"[{v.rule}] {v.message}") for v in check_project(root)
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
