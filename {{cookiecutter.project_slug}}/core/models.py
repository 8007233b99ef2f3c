"""Abstract base models shared by the domain apps."""

from django.db import models


class TimeStampedModel(models.Model):
    """Adds creation and last-update times, set by the database layer."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
