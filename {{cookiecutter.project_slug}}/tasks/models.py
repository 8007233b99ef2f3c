"""Tasks of an organization and their audit trail.

Deleting a task keeps its history: ``TaskEvent.task`` is nullable with
``on_delete=SET_NULL``, and ``tasks.services.delete_task`` writes a final
"deleted" event that records the task's id, title and last state. Every event
also points at its organization, so an orphaned trail stays scoped to the
organization it belongs to (and goes away with it, never before).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel
from core.versions import edit_version
from orgs.models import Organization
from tasks.types import TaskEventAction, TaskPriority, TaskStatus


class Task(TimeStampedModel):
    Status = TaskStatus
    Priority = TaskPriority

    # What a person edits in the task form, in the form's order.
    EDITED_FIELDS = (
        "title",
        "description",
        "status",
        "priority",
        "assigned_to_id",
        "due_date",
    )

    # No single-column index: the composite indexes below all start with it.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="tasks", db_index=False
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.TODO
    )
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.NORMAL
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        # The list's order; the id breaks ties between rows created together.
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organization", "-created_at", "-id"],
                name="tasks_task_org_created_idx",
            ),
            models.Index(
                fields=["organization", "status"], name="tasks_task_org_status_idx"
            ),
            models.Index(
                fields=["organization", "assigned_to"],
                name="tasks_task_org_assignee_idx",
            ),
            # A person's open tasks across organizations, in the home page's
            # order: read from the index up to the page's limit, never sorted,
            # and counted from the index alone (the organization, last, is in it).
            models.Index(
                fields=[
                    "assigned_to",
                    "due_date",
                    "-created_at",
                    "-id",
                    "organization",
                ],
                condition=~Q(status=TaskStatus.DONE),
                name="tasks_task_open_assignee_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    priority__gte=min(TaskPriority.values),
                    priority__lte=max(TaskPriority.values),
                ),
                name="tasks_task_priority_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values),
                name="tasks_task_status",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def edit_version(self) -> str:
        """A token of the edited values: ``title:<digest>,description:<digest>,...``.

        An edit form carries the token of the task it showed; a field whose
        digest differs from the stored task's is one someone else changed.
        """
        return edit_version({name: getattr(self, name) for name in self.EDITED_FIELDS})


class TaskEvent(models.Model):
    """One entry of a task's audit trail; written by the services only."""

    Action = TaskEventAction

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Kept when the task is deleted: the trail outlives the task.
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["task", "-created_at", "-id"], name="tasks_event_task_idx"
            ),
            models.Index(
                fields=["organization", "-created_at"],
                name="tasks_event_org_created_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=TaskEventAction.values),
                name="tasks_taskevent_action",
            ),
        ]

    def __str__(self) -> str:
        task_id = self.task_id or self.details.get("task_id")
        return f"{self.get_action_display()}: task {task_id}"
