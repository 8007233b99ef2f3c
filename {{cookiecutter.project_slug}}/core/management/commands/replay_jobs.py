"""Queue again the jobs that gave up (``core.FailedJob``), or list them.

    python manage.py replay_jobs --list   # what waits, replay nothing
    python manage.py replay_jobs          # every job that waits
    python manage.py replay_jobs 12 15    # those two

A replayed job that fails again is kept again, under a new id.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import FailedJob
from core.selectors import list_failed_jobs
from core.services import replay_failed_jobs


def describe(failed: FailedJob) -> str:
    arguments = ", ".join(
        [repr(value) for value in failed.args]
        + [f"{name}={value!r}" for name, value in failed.kwargs.items()]
    )
    return (
        f"{failed.pk}: {failed.name}({arguments}) failed "
        f"{failed.failed_at:%Y-%m-%d %H:%M:%S %Z}: {failed.error}"
    )


class Command(BaseCommand):
    help = "Queue again the jobs that gave up (all of them, or those ids)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="failed job ids")
        parser.add_argument(
            "--list", action="store_true", help="list them, replay nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["ids"]
        failed_jobs = list_failed_jobs(ids=ids or None)
        missing = sorted(set(ids) - {failed.pk for failed in failed_jobs})
        if missing:
            raise CommandError(
                f"No job waits for a replay under id(s) {', '.join(map(str, missing))}"
                " (see --list); nothing was queued."
            )
        if options["list"]:
            for failed in failed_jobs:
                self.stdout.write(describe(failed))
            self.stdout.write(f"{failed_jobs.count()} job(s) wait for a replay.")
            return
        replayed = replay_failed_jobs(actor=None, failed_jobs=failed_jobs)
        for failed in replayed:
            self.stdout.write(f"Queued again {describe(failed)}")
        self.stdout.write(f"Queued {len(replayed)} job(s) again.")
