"""Staff screens for tasks; every write goes through the services.

The audit trail is read-only here: events are written by the services only.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ServiceAdmin
from tasks.models import Task, TaskEvent
from tasks.services import create_task, delete_task, delete_tasks, update_task
from tasks.types import TaskInput


def _input_from(task: Task) -> TaskInput:
    return TaskInput(
        title=task.title,
        description=task.description,
        status=task.status,
        priority=task.priority,
        assigned_to_id=task.assigned_to_id,
        due_date=task.due_date,
    )


@admin.register(Task)
class TaskAdmin(ServiceAdmin):
    list_display = (
        "title",
        "organization",
        "status",
        "priority",
        "assigned_to",
        "due_date",
        "created_at",
    )
    list_filter = ("status", "priority")
    search_fields = ("title", "organization__name", "assigned_to__username")
    list_select_related = ("organization", "assigned_to")
    autocomplete_fields = ("organization", "assigned_to")
    fields = (
        "organization",
        "title",
        "description",
        "status",
        "priority",
        "assigned_to",
        "due_date",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        written_by_services = ("created_by", "updated_by", "created_at", "updated_at")
        if obj is None:
            return written_by_services
        return ("organization", *written_by_services)

    def save_model(
        self, request: HttpRequest, obj: Task, form: Any, change: bool
    ) -> None:
        if change:
            result = update_task(
                actor=self.actor(request), task=obj, data=_input_from(obj)
            )
            obj.updated_by = result.task.updated_by
        else:
            created = create_task(
                actor=self.actor(request),
                organization=obj.organization,
                data=_input_from(obj),
            )
            obj.pk = created.task.pk

    def delete_model(self, request: HttpRequest, obj: Task) -> None:
        delete_task(actor=self.actor(request), task=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        delete_tasks(actor=self.actor(request), tasks=queryset)


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "task", "actor", "organization")
    list_filter = ("action",)
    search_fields = ("task__title", "actor__username", "organization__name")
    list_select_related = ("task", "actor", "organization")
    readonly_fields = (
        "organization",
        "task",
        "actor",
        "action",
        "details",
        "created_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
