"""One pytest run of the suite, read per test file from its JUnit XML."""

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from .findings import Finding

TEST_TIMEOUT = 600  # seconds
FAILURE_HINT_LENGTH = 160


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
            # The browser suite judges no step, and needs a browser that a
            # grading machine may not have: the grade is the same without it.
            "-m",
            "not browser",
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
