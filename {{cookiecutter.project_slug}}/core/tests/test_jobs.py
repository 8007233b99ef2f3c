"""Jobs retry mail errors a bounded number of times, then give up and are kept.

The test settings run each job in-process (``CELERY_TASK_ALWAYS_EAGER``),
retries at once, and at most ``JOBS_MAX_RETRIES`` (2) times.
"""

import logging
from smtplib import SMTPServerDisconnected

import pytest
from celery import current_app
from django.conf import settings
from django.core.management import CommandError, call_command
from kombu.exceptions import OperationalError

from core.jobs import enqueue_again, job
from core.models import FailedJob
from core.services import replay_failed_jobs

pytestmark = pytest.mark.django_db

attempts: list[str] = []
failures_left = {"count": 0}


@job
def flaky_job(*, item_id: int) -> str:
    """Fails with a mail error while ``failures_left`` says so."""
    attempts.append(f"item {item_id}")
    if failures_left["count"]:
        failures_left["count"] -= 1
        raise SMTPServerDisconnected("the mail server hung up")
    return "done"


@job
def broken_job(*, item_id: int) -> str:
    raise ValueError(f"no such item: {item_id}")


@pytest.fixture(autouse=True)
def _fresh_counters():
    attempts.clear()
    failures_left["count"] = 0


def test_a_mail_error_is_retried_and_the_job_succeeds_later():
    failures_left["count"] = settings.JOBS_MAX_RETRIES

    result = flaky_job.delay(item_id=7)

    assert result.get() == "done"
    assert attempts == ["item 7"] * (settings.JOBS_MAX_RETRIES + 1)
    assert not FailedJob.objects.exists()


def test_a_job_gives_up_after_the_bound_logged_and_kept(caplog):
    failures_left["count"] = 100
    caplog.set_level(logging.WARNING, logger="core.jobs")

    flaky_job.delay(item_id=7)  # raises nothing into the caller

    assert len(attempts) == settings.JOBS_MAX_RETRIES + 1
    failed = FailedJob.objects.get()
    assert failed.name == "core.tests.test_jobs.flaky_job"
    assert (failed.args, failed.kwargs) == ([], {"item_id": 7})
    assert failed.task_id
    assert "SMTPServerDisconnected" in failed.error
    assert f"after {settings.JOBS_MAX_RETRIES + 1} attempt(s)" in failed.error
    assert failed.replayed_at is None
    logged = [r for r in caplog.records if r.name == "core.jobs"]
    gave_up = [r for r in logged if r.levelno == logging.ERROR]
    assert len(gave_up) == 1
    assert "core.tests.test_jobs.flaky_job gave up" in gave_up[0].getMessage()
    assert "'item_id': 7" in gave_up[0].getMessage()
    retries = [r for r in logged if r.levelno == logging.WARNING]
    assert len(retries) == settings.JOBS_MAX_RETRIES


def test_a_bug_is_not_retried_but_kept_at_once():
    broken_job.delay(item_id=3)

    failed = FailedJob.objects.get()
    assert failed.name == "core.tests.test_jobs.broken_job"
    assert failed.error == "after 1 attempt(s): ValueError('no such item: 3')"


def test_a_broker_that_does_not_answer_loses_no_job(monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379.")

    app = current_app._get_current_object()
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app, "send_task", broker_down)

    assert flaky_job.delay(item_id=5) is None  # the caller carries on

    failed = FailedJob.objects.get()
    assert (failed.name, failed.kwargs) == (
        "core.tests.test_jobs.flaky_job",
        {"item_id": 5},
    )
    assert failed.error.startswith("not queued: OperationalError(")
    assert attempts == []


# Replaying ----------------------------------------------------------------


def given_up(item_id: int) -> FailedJob:
    failures_left["count"] = 100
    flaky_job.delay(item_id=item_id)
    failures_left["count"] = 0
    attempts.clear()
    return FailedJob.objects.get(kwargs__item_id=item_id)


def test_replaying_queues_each_job_again_once_after_commit(
    django_capture_on_commit_callbacks,
):
    first, second = given_up(1), given_up(2)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        replayed = replay_failed_jobs(
            actor=None, failed_jobs=FailedJob.objects.filter(pk=first.pk)
        )
        assert attempts == []  # not before the commit

    assert replayed == [first]
    assert len(callbacks) == 1
    assert attempts == ["item 1"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.replayed_at is not None
    assert second.replayed_at is None

    with django_capture_on_commit_callbacks(execute=True):
        again = replay_failed_jobs(actor=None, failed_jobs=FailedJob.objects.all())
    assert again == [second]  # the first one is not queued twice
    assert attempts == ["item 1", "item 2"]


def test_a_replayed_job_that_fails_again_is_kept_again(
    django_capture_on_commit_callbacks,
):
    failed = given_up(1)
    failures_left["count"] = 100

    with django_capture_on_commit_callbacks(execute=True):
        replay_failed_jobs(actor=None, failed_jobs=FailedJob.objects.all())

    assert FailedJob.objects.count() == 2
    assert FailedJob.objects.exclude(pk=failed.pk).get().replayed_at is None


def test_a_job_of_an_unknown_name_is_kept_not_lost():
    enqueue_again(name="gone.jobs.old_job", args=[], kwargs={"item_id": 1})

    failed = FailedJob.objects.get()
    assert (failed.name, failed.error) == (
        "gone.jobs.old_job",
        "not queued: no job of that name",
    )


def test_the_replay_command_lists_and_replays(
    capsys, django_capture_on_commit_callbacks
):
    first, second = given_up(1), given_up(2)

    call_command("replay_jobs", "--list")
    listed = capsys.readouterr().out
    assert f"{first.pk}: core.tests.test_jobs.flaky_job(item_id=1) failed" in listed
    assert "2 job(s) wait for a replay." in listed
    assert attempts == []

    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_jobs", str(second.pk))
    assert attempts == ["item 2"]
    assert "Queued 1 job(s) again." in capsys.readouterr().out

    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_jobs")
    assert attempts == ["item 2", "item 1"]
    with pytest.raises(CommandError, match=f"id\\(s\\) {first.pk} "):
        call_command("replay_jobs", str(first.pk))
