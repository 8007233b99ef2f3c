"""Report the lab's progress: each step done or not, and what is missing.

    python manage.py lab_check          # a report for people
    python manage.py lab_check --json   # for a gradebook
    python manage.py lab_check --step tasks-selectors   # one step only
    python manage.py lab_check --report lab_check.json --step checks

``--report`` reads the results a ``--json`` run saved instead of checking
again: the classroom's autograding checks once and grades each step from the
report (.github/workflows/classroom.yml).

The exit status is 0 only when every step is done (1 otherwise), or with
``--step``, when that step is done, so a CI job or a grading script can use
it as it is. The checks are in ``devtools/lab/``.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.lab.findings import StepResult, report_dict, results_from_report
from devtools.lab.grader import STEPS, check_lab

FINDINGS_SHOWN = 8


class Command(BaseCommand):
    help = "Show which lab steps and exercises are done (exit 0 when all are)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"steps": [...], "done": n, "total": n} as JSON.',
        )
        parser.add_argument(
            "--all-findings",
            action="store_true",
            help=f"List every finding (default: the first {FINDINGS_SHOWN} a step).",
        )
        parser.add_argument(
            "--step",
            choices=[step.id for step in STEPS],
            metavar="ID",
            help="Check and report this step only; the exit status is its own.",
        )
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="Read the results from a report that --json saved, "
            "instead of checking the code again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        step_id = options["step"]
        root = Path(settings.BASE_DIR)
        if options["report"]:
            results = _read_report(options["report"])
        elif step_id:
            results = check_lab(root, steps=[s for s in STEPS if s.id == step_id])
        else:
            results = check_lab(root)
        if step_id:
            results = [result for result in results if result.id == step_id]
            if not results:
                raise CommandError(
                    f"{options['report']} has no step {step_id!r}", returncode=2
                )
        if options["json"]:
            self.stdout.write(json.dumps(report_dict(results), indent=2))
        else:
            self._report(results, show_all=options["all_findings"])
        if not all(result.done for result in results):
            raise SystemExit(1)

    def _report(self, results: list[StepResult], *, show_all: bool) -> None:
        done = sum(result.done for result in results)
        for result in results:
            if result.done:
                self.stdout.write(
                    self.style.SUCCESS(f"[done] {result.id}: ") + result.title
                )
                continue
            self.stdout.write(self.style.ERROR(f"[todo] {result.id}: ") + result.title)
            shown = result.findings if show_all else result.findings[:FINDINGS_SHOWN]
            for finding in shown:
                self.stdout.write(f"    {finding}")
            hidden = len(result.findings) - len(shown)
            if hidden:
                self.stdout.write(f"    ... and {hidden} more (--all-findings)")
        summary = f"{done}/{len(results)} steps done."
        style = self.style.SUCCESS if done == len(results) else self.style.WARNING
        self.stdout.write(style(summary))


def _read_report(path: Path) -> list[StepResult]:
    try:
        return results_from_report(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise CommandError(
            f"--report {path}: cannot read a lab_check --json report: {error}",
            returncode=2,
        ) from error
