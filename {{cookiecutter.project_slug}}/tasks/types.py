"""Plain data that tasks services and selectors take and return, and the choices.

The choices live here, below the models, so that models, forms, constraints
and these dataclasses share one list of values. Models are imported for type
checking only: nothing here may need them at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from django.db import models

if TYPE_CHECKING:
    from tasks.models import Task, TaskEvent


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class TaskPriority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class TaskEventAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    STATUS_CHANGED = "status_changed", "Status changed"
    ASSIGNEE_CHANGED = "assignee_changed", "Assignee changed"
    DELETED = "deleted", "Deleted"


# "me" (the person asking), "none" (unassigned), or a member's user id.
AssigneeFilter = Literal["me", "none"] | int


@dataclass(frozen=True)
class TaskInput:
    """Everything a person sets on a task; services fill in the rest."""

    title: str
    description: str = ""
    status: str = TaskStatus.TODO
    priority: int = TaskPriority.NORMAL
    assigned_to_id: int | None = None
    due_date: date | None = None


@dataclass(frozen=True)
class TaskFilters:
    """What the task list and the CSV export are narrowed to; empty: all."""

    q: str = ""
    status: str | None = None
    priority: int | None = None
    assigned_to: AssigneeFilter | None = None


@dataclass(frozen=True)
class TaskCreated:
    task: Task
    event: TaskEvent


@dataclass(frozen=True)
class TaskUpdated:
    task: Task
    # Empty when the input changed nothing: then nothing was written.
    events: tuple[TaskEvent, ...]

    @property
    def changed(self) -> bool:
        return bool(self.events)


@dataclass(frozen=True)
class TaskDeleted:
    task_id: int
    title: str
    event: TaskEvent
