"""Staff screens for tasks and their audit trail."""

from django.contrib import admin

from tasks.models import Task, TaskEvent


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
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


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "task", "actor", "organization")
    list_filter = ("action",)
    search_fields = ("task__title", "actor__username", "organization__name")
    list_select_related = ("task", "actor", "organization")
