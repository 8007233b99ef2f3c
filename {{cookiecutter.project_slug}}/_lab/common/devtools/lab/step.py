"""What a step is: an id, a title and the check that lists its findings."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .testrun import SuiteRun

LAB_APPS = ("orgs", "articles", "tasks")

Check = Callable[[Path, SuiteRun], list[Finding]]


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    check: Check
    needs_tests: bool = True
