"""Mounted under ``api/v1/orgs/<slug:org_slug>/tasks/``: every view gets ``org_slug``."""

from django.urls import path

from tasks import api

app_name = "tasks-api"

urlpatterns = [
    path("", api.TaskListApi.as_view(), name="list"),
    path("<id:task_id>/", api.TaskDetailApi.as_view(), name="detail"),
    path("<id:task_id>/events/", api.TaskEventListApi.as_view(), name="events"),
]
