"""Mounted under ``orgs/<slug:org_slug>/tasks/``: every view gets ``org_slug``."""

from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_create, name="create"),
    path("export.csv", views.task_export, name="export"),
    path("<id:task_id>/", views.task_detail, name="detail"),
    path("<id:task_id>/edit/", views.task_edit, name="edit"),
    path("<id:task_id>/delete/", views.task_delete, name="delete"),
]
