"""What a step reports: findings, a step's result, the ``--json`` document."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


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


def results_from_report(report: Any) -> list[StepResult]:
    """The results a ``--json`` document holds; ValueError if it is not one."""
    try:
        return [
            StepResult(
                str(step["id"]),
                str(step["title"]),
                tuple(
                    Finding(str(f["path"]), int(f["line"]), str(f["hint"]))
                    for f in step["findings"]
                ),
            )
            for step in report["steps"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"not a lab_check --json report ({error!r})") from error
