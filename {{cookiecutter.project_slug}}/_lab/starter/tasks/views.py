"""The task pages.

Every view finds the user's membership, checks the role rules, builds its
queries and writes the audit trail itself.
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.pagination import CappedPaginator
from core.security_log import log_security_event
from orgs.models import Membership
from tasks.forms import TaskFilterForm, TaskForm
from tasks.models import Task, TaskEvent
from tasks.types import TaskFilters
from users.models import User
from users.types import AuthenticatedHttpRequest

PAGE_SIZE = 20


def _membership(request: AuthenticatedHttpRequest, org_slug: str) -> Membership:
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(user=request.user, organization__slug=org_slug)
        .first()
    )
    if membership is None:
        raise Http404("No organization matches the given query.")
    return membership


def _task(membership: Membership, task_id: int) -> Task:
    task = (
        Task.objects.filter(organization=membership.organization, pk=task_id)
        .select_related("assigned_to", "created_by", "updated_by")
        .first()
    )
    if task is None:
        raise Http404("No task matches the given query.")
    return task


@login_required
@require_GET
def task_list(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    members = list(
        Membership.objects.select_related("organization", "user")
        .filter(
            organization__slug=org_slug, organization__memberships__user=request.user
        )
        .order_by("user__username")
    )
    membership = next((m for m in members if m.user_id == request.user.pk), None)
    if membership is None:
        raise Http404("No organization matches the given query.")
    organization = membership.organization
    form = TaskFilterForm(request.GET, members=members)
    filters = form.filters()
    tasks = (
        Task.objects.filter(organization=organization)
        .select_related("assigned_to", "created_by", "updated_by")
        .order_by("-created_at", "-id")
    )
    if filters is None:  # a filter that is not valid matches no task
        tasks = tasks.none()
    else:
        q = filters.q.strip()
        if q:
            tasks = tasks.filter(Q(title__icontains=q) | Q(description__icontains=q))
        if filters.status:
            tasks = tasks.filter(status=filters.status)
        if filters.priority:
            tasks = tasks.filter(priority=filters.priority)
        if filters.assigned_to == "me":
            tasks = tasks.filter(assigned_to=request.user)
        elif filters.assigned_to == "none":
            tasks = tasks.filter(assigned_to__isnull=True)
        elif filters.assigned_to is not None:
            tasks = tasks.filter(assigned_to_id=filters.assigned_to)
    page_obj = CappedPaginator(tasks, PAGE_SIZE).get_page(form.page_number())
    is_admin = membership.role == Membership.Role.ADMIN
    return render(
        request,
        "tasks/list.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "page_obj": page_obj,
            "tasks": page_obj.object_list,
            "filtered": filters is not None and filters != TaskFilters(),
            "can_create": True,
            "can_export": is_admin,
        },
        status=200 if filters is not None else 400,
    )


@login_required
@require_GET
def task_detail(
    request: AuthenticatedHttpRequest, org_slug: str, task_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    task = _task(membership, task_id)
    is_admin = membership.role == Membership.Role.ADMIN
    events = list(
        TaskEvent.objects.filter(task=task)
        .select_related("actor")
        .order_by("-created_at", "-id")[:51]
    )
    return render(
        request,
        "tasks/detail.html",
        {
            "organization": membership.organization,
            "membership": membership,
            "task": task,
            "events": events[:50],
            "older_events": len(events) > 50,
            "can_edit": is_admin
            or request.user.pk in (task.created_by_id, task.assigned_to_id),
            "can_delete": is_admin,
        },
    )


def _members(membership: Membership) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=membership.organization)
        .select_related("user")
        .order_by("user__username")
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    form = TaskForm(request.POST or None, members=_members(membership))
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        assignee = None
        if data.assigned_to_id is not None:
            assignee = User.objects.filter(
                pk=data.assigned_to_id, memberships__organization=organization
            ).first()
        if data.assigned_to_id is not None and assignee is None:
            form.add_error(
                "assigned_to", f"The assignee must be a member of {organization}."
            )
        else:
            with transaction.atomic():
                task = Task.objects.create(
                    organization=organization,
                    title=data.title,
                    description=data.description,
                    status=data.status,
                    priority=data.priority,
                    assigned_to=assignee,
                    due_date=data.due_date,
                    created_by=request.user,
                    updated_by=request.user,
                )
                TaskEvent.objects.create(
                    organization=organization,
                    task=task,
                    actor=request.user,
                    action=TaskEvent.Action.CREATED,
                    details={
                        "title": task.title,
                        "status": task.status,
                        "priority": task.priority,
                        "assigned_to": task.assigned_to_id,
                        "assigned_to_username": (
                            assignee.username if assignee else None
                        ),
                    },
                )
            messages.success(request, f"Task “{task.title}” created.")
            return redirect("tasks:detail", org_slug=organization.slug, task_id=task.pk)
    return render(
        request,
        "tasks/form.html",
        {"organization": organization, "form": form, "task": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(
    request: AuthenticatedHttpRequest, org_slug: str, task_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    task = _task(membership, task_id)
    if membership.role != Membership.Role.ADMIN and request.user.pk not in (
        task.created_by_id,
        task.assigned_to_id,
    ):
        raise PermissionDenied("Only admins, its creator and its assignee can edit it.")
    form = TaskForm(
        request.POST or None,
        initial=TaskForm.initial_for(task),
        members=_members(membership),
    )
    if request.method == "POST" and form.is_valid():
        data = form.to_input()
        fields = ("title", "description", "priority", "due_date")
        before = {name: getattr(task, name) for name in fields}
        changed = [name for name in fields if getattr(data, name) != before[name]]
        old_status, old_assignee = task.status, task.assigned_to
        status_changed = data.status != old_status
        assignee_changed = data.assigned_to_id != task.assigned_to_id
        new_assignee = None
        if assignee_changed and data.assigned_to_id is not None:
            new_assignee = User.objects.filter(
                pk=data.assigned_to_id, memberships__organization=organization
            ).first()
            if new_assignee is None:
                form.add_error(
                    "assigned_to", f"The assignee must be a member of {organization}."
                )
        if form.errors:
            pass
        elif not (changed or status_changed or assignee_changed):
            messages.info(request, "Nothing to save: the task is unchanged.")
            return redirect("tasks:detail", org_slug=organization.slug, task_id=task.pk)
        else:
            with transaction.atomic():
                for name in changed:
                    setattr(task, name, getattr(data, name))
                task.status = data.status
                if assignee_changed:
                    task.assigned_to = new_assignee
                task.updated_by = request.user
                task.save()
                if changed:
                    shown = [name for name in changed if name != "description"]
                    TaskEvent.objects.create(
                        organization=organization,
                        task=task,
                        actor=request.user,
                        action=TaskEvent.Action.UPDATED,
                        details={
                            "fields": changed,
                            "from": {name: _plain(before[name]) for name in shown},
                            "to": {name: _plain(getattr(task, name)) for name in shown},
                        },
                    )
                if status_changed:
                    TaskEvent.objects.create(
                        organization=organization,
                        task=task,
                        actor=request.user,
                        action=TaskEvent.Action.STATUS_CHANGED,
                        details={"from": old_status, "to": task.status},
                    )
                if assignee_changed:
                    TaskEvent.objects.create(
                        organization=organization,
                        task=task,
                        actor=request.user,
                        action=TaskEvent.Action.ASSIGNEE_CHANGED,
                        details={
                            "from": old_assignee.pk if old_assignee else None,
                            "to": task.assigned_to_id,
                            "from_username": (
                                old_assignee.username if old_assignee else None
                            ),
                            "to_username": (
                                new_assignee.username if new_assignee else None
                            ),
                        },
                    )
            messages.success(request, "Task saved.")
            return redirect("tasks:detail", org_slug=organization.slug, task_id=task.pk)
    return render(
        request,
        "tasks/form.html",
        {"organization": organization, "form": form, "task": task},
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(
    request: AuthenticatedHttpRequest, org_slug: str, task_id: int
) -> HttpResponse:
    membership = _membership(request, org_slug)
    organization = membership.organization
    task = _task(membership, task_id)
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can delete tasks.")
    if request.method == "POST":
        title = task.title
        with transaction.atomic():
            TaskEvent.objects.create(
                organization=organization,
                task=None,
                actor=request.user,
                action=TaskEvent.Action.DELETED,
                details={
                    "task_id": task.pk,
                    "title": title,
                    "status": task.status,
                    "priority": task.priority,
                    "assigned_to": task.assigned_to_id,
                },
            )
            task.delete()
        messages.success(request, f"Task “{title}” deleted.")
        return redirect("tasks:list", org_slug=organization.slug)
    return render(
        request,
        "tasks/confirm_delete.html",
        {"organization": organization, "task": task},
    )


CSV_HEADER = [
    "id",
    "title",
    "status",
    "priority",
    "assigned_to",
    "due_date",
    "created_by",
    "created_at",
    "updated_at",
    "description",
]


def _cell(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + text
    return text


@login_required
@require_GET
def task_export(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponseBase:
    """The tasks of the list's filters as CSV, streamed row by row."""
    members = list(
        Membership.objects.select_related("organization", "user")
        .filter(
            organization__slug=org_slug, organization__memberships__user=request.user
        )
        .order_by("user__username")
    )
    membership = next((m for m in members if m.user_id == request.user.pk), None)
    if membership is None:
        raise Http404("No organization matches the given query.")
    if membership.role != Membership.Role.ADMIN:
        raise PermissionDenied("Only admins of this organization can export tasks.")
    organization = membership.organization
    form = TaskFilterForm(request.GET, members=members)
    filters = form.filters()
    if filters is None:
        problems = "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}"
            for name, errors in form.errors.items()
        )
        return HttpResponse(
            f"The export filters are not valid: {problems}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    tasks = Task.objects.filter(organization=organization).order_by(
        "-created_at", "-id"
    )
    q = filters.q.strip()
    if q:
        tasks = tasks.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.priority:
        tasks = tasks.filter(priority=filters.priority)
    if filters.assigned_to == "me":
        tasks = tasks.filter(assigned_to=request.user)
    elif filters.assigned_to == "none":
        tasks = tasks.filter(assigned_to__isnull=True)
    elif filters.assigned_to is not None:
        tasks = tasks.filter(assigned_to_id=filters.assigned_to)
    rows = tasks.values_list(
        "id",
        "title",
        "status",
        "priority",
        "assigned_to__username",
        "due_date",
        "created_by__username",
        "created_at",
        "updated_at",
        "description",
    ).iterator(chunk_size=2000)
    log_security_event("csv_export", request=request, organization_id=organization.pk)
    response = StreamingHttpResponse(
        _csv_lines(
            itertools.chain([CSV_HEADER], ([_cell(v) for v in row] for row in rows))
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{organization.slug}-tasks.csv"'
    )
    return response


class _Echo:
    """A file-like object whose ``write`` hands the line back to the caller."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
