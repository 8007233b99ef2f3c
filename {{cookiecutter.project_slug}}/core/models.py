"""The abstract base of the domain apps' models, and the jobs' records.

The records: the e-mails jobs have sent (their idempotency keys) and the
jobs that gave up, to be replayed.
"""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-update times, set by the database layer."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SentEmail(models.Model):
    """An e-mail a job has sent, under its idempotency key.

    A retried or duplicated job finds its key here and sends nothing; a
    deliberate re-send has a key of its own (an invitation's new token).
    """

    key = models.CharField(max_length=255, unique=True)
    subject = models.TextField()
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "sent e-mail"

    def __str__(self) -> str:
        return self.key


class FailedJob(models.Model):
    """A job that gave up, or could not be queued: kept until it is replayed."""

    name = models.CharField(max_length=255)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=255, blank=True)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    replayed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.kwargs or self.args}"
