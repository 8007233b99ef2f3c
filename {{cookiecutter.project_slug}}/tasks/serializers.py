"""The tasks API's input and output: validated like the forms, rendered plainly.

Input serializers check what the forms check and produce the same
``tasks.types`` data; the services check their rules again whoever calls.
Output serializers only render.
"""

from collections.abc import Collection
from typing import Any

from rest_framework import serializers

from core.api import represent, validate_single_line
from tasks.models import Task, TaskEvent
from tasks.types import AssigneeFilter, TaskFilters, TaskInput, TaskPriority, TaskStatus
from users.serializers import UserRefSerializer

# The largest id a bigint column holds: a larger one is invalid input, never
# a query.
MAX_ID = 2**63 - 1
ASSIGNEE_FILTER_HELP = '"me", "none" (unassigned), or a member\'s user id.'


class TaskInputSerializer(serializers.Serializer[TaskInput]):
    title = serializers.CharField(
        max_length=Task._meta.get_field("title").max_length,
        validators=[validate_single_line],
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=TaskStatus.choices, default=TaskStatus.TODO
    )
    priority = serializers.ChoiceField(
        choices=TaskPriority.choices, default=TaskPriority.NORMAL
    )
    assigned_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="A member's user id; null: unassigned.",
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)

    def to_input(self) -> TaskInput:
        """The validated input for ``create_task``/``update_task``."""
        data = self.validated_data
        return TaskInput(
            title=data["title"],
            description=data["description"],
            status=data["status"],
            priority=int(data["priority"]),
            assigned_to_id=data["assigned_to"],
            due_date=data["due_date"],
        )


class TaskUpdateSerializer(TaskInputSerializer):
    version = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The task's `version` as read: a task changed since is a 409 "
        "conflict naming the fields. Leave it out to overwrite.",
    )

    def edit_version(self) -> str | None:
        version: str = self.validated_data["version"]
        return version or None


class TaskFilterSerializer(serializers.Serializer[TaskFilters]):
    """The list's filters: the page's, with the same rules."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        validators=[validate_single_line],
    )
    status = serializers.ChoiceField(
        choices=TaskStatus.choices, required=False, allow_blank=True, default=""
    )
    priority = serializers.ChoiceField(
        choices=TaskPriority.choices,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
    )
    assigned_to = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20,
        help_text=ASSIGNEE_FILTER_HELP,
    )

    def __init__(
        self, *args: Any, member_ids: Collection[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.member_ids = member_ids

    def validate_assigned_to(self, value: str) -> AssigneeFilter | None:
        if value in ("me", "none"):
            return value  # type: ignore[return-value]
        if not value:
            return None
        if value.isascii() and value.isdigit() and int(value) in self.member_ids:
            return int(value)
        raise serializers.ValidationError(
            f"Assignee '{value}' is not {ASSIGNEE_FILTER_HELP}", code="invalid_choice"
        )

    def to_filters(self) -> TaskFilters:
        data = self.validated_data
        priority = data["priority"]
        return TaskFilters(
            q=data["q"],
            status=data["status"] or None,
            priority=int(priority) if priority not in (None, "") else None,
            assigned_to=data["assigned_to"],
        )


class TaskSerializer(serializers.Serializer[Any]):
    """A task as the API renders it (one or a page: hence Any)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    priority = serializers.ChoiceField(choices=TaskPriority.choices)
    assigned_to = UserRefSerializer(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    created_by = UserRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.CharField(
        source="edit_version", help_text="Send it back with an update."
    )

    def to_representation(self, instance: Task) -> dict[str, Any]:
        """What DRF writes, each value by its field above (``represent``)."""
        values = {
            "id": instance.id,
            "title": instance.title,
            "description": instance.description,
            "status": instance.status,
            "priority": instance.priority,
            "assigned_to": instance.assigned_to,
            "due_date": instance.due_date,
            "created_by": instance.created_by,
            "created_at": instance.created_at,
            "updated_at": instance.updated_at,
            "version": instance.edit_version(),
        }
        return represent(self, values)


class TaskEventSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=TaskEvent.Action.choices)
    actor = UserRefSerializer(allow_null=True)
    details = serializers.DictField()
    created_at = serializers.DateTimeField()
