"""HTTP boundary of the tasks app: read the request, call the layers, respond.

Every view needs a signed-in member of the organization named in the URL: a
non-member gets 404 (the membership selector finds nothing), a member without
the right gets 403 (``tasks.permissions``).
"""

import csv
from collections.abc import Iterable, Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import found_or_404
from core.pagination import CappedPaginator
from core.security_log import log_security_event
from orgs.selectors import get_membership, get_membership_and_members, list_members
from tasks import permissions, selectors
from tasks.forms import TaskFilterForm, TaskForm
from tasks.models import Task
from tasks.services import create_task, delete_task, update_task
from tasks.types import TaskFilters
from users.types import AuthenticatedHttpRequest

PAGE_SIZE = 20
# A task's page shows its latest changes, whatever its age; the API's events
# list has them all, page by page.
HISTORY_SHOWN = 50
EXPORT_CHUNK_SIZE = 2000


@login_required
@require_GET
def task_list(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    membership, members = found_or_404(
        get_membership_and_members(user=request.user, org_slug=org_slug),
        name="organization",
    )
    organization = membership.organization
    form = TaskFilterForm(request.GET, members=members)
    filters = form.filters()
    # Filters that are not valid match no task (400, like the export), never all.
    tasks: QuerySet[Task] | list[Task] = []
    if filters is not None:
        tasks = selectors.list_tasks(
            organization=organization, actor=request.user, filters=filters
        )
    page_obj = CappedPaginator(tasks, PAGE_SIZE).get_page(form.page_number())
    return render(
        request,
        "tasks/list.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "page_obj": page_obj,
            "tasks": page_obj.object_list,
            # The page number alone is no filter: "N tasks match" only when
            # the filters narrow the list.
            "filtered": filters is not None and filters != TaskFilters(),
            "can_create": permissions.can_create_task(membership=membership),
            "can_export": permissions.can_export_tasks(membership=membership),
        },
        status=200 if filters is not None else 400,
    )


@login_required
@require_GET
def task_detail(
    request: AuthenticatedHttpRequest, org_slug: str, task_id: int
) -> HttpResponse:
    membership = found_or_404(
        get_membership(user=request.user, org_slug=org_slug), name="organization"
    )
    organization = membership.organization
    task = found_or_404(
        selectors.get_task(organization=organization, task_id=task_id), name="task"
    )
    # One change more than shown tells whether older ones are left out.
    events = list(selectors.list_task_events(task=task, limit=HISTORY_SHOWN + 1))
    return render(
        request,
        "tasks/detail.html",
        {
            "organization": organization,
            "membership": membership,
            "task": task,
            "events": events[:HISTORY_SHOWN],
            "older_events": len(events) > HISTORY_SHOWN,
            "can_edit": permissions.can_edit_task(
                membership=membership, user=request.user, task=task
            ),
            "can_delete": permissions.can_delete_task(membership=membership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponse:
    membership = found_or_404(
        get_membership(user=request.user, org_slug=org_slug), name="organization"
    )
    if not permissions.can_create_task(membership=membership):
        raise PermissionDenied("You cannot add tasks to this organization.")
    organization = membership.organization
    form = TaskForm(
        request.POST or None, members=list_members(organization=organization)
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = create_task(
                actor=request.user, organization=organization, data=form.to_input()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Task “{result.task.title}” created.")
            return redirect(
                "tasks:detail", org_slug=organization.slug, task_id=result.task.pk
            )
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
    membership = found_or_404(
        get_membership(user=request.user, org_slug=org_slug), name="organization"
    )
    organization = membership.organization
    task = found_or_404(
        selectors.get_task(organization=organization, task_id=task_id), name="task"
    )
    if not permissions.can_edit_task(
        membership=membership, user=request.user, task=task
    ):
        raise PermissionDenied("Only admins, its creator and its assignee can edit it.")
    form = TaskForm(
        request.POST or None,
        initial=TaskForm.initial_for(task),
        members=list_members(organization=organization),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = update_task(
                actor=request.user,
                task=task,
                data=form.to_input(),
                version=form.edit_version(),
            )
        except ConflictError as error:
            # Someone changed the task since the form was loaded, or deleted it.
            current = selectors.get_task(organization=organization, task_id=task_id)
            if current is None:
                messages.error(request, error.message)
                return redirect("tasks:list", org_slug=organization.slug)
            add_domain_error(form, error)
            form.restart_from(current)
            task, status = current, 409
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if result.changed:
                messages.success(request, "Task saved.")
            else:
                messages.info(request, "Nothing to save: the task is unchanged.")
            return redirect("tasks:detail", org_slug=organization.slug, task_id=task.pk)
    return render(
        request,
        "tasks/form.html",
        {"organization": organization, "form": form, "task": task},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(
    request: AuthenticatedHttpRequest, org_slug: str, task_id: int
) -> HttpResponse:
    membership = found_or_404(
        get_membership(user=request.user, org_slug=org_slug), name="organization"
    )
    organization = membership.organization
    task = found_or_404(
        selectors.get_task(organization=organization, task_id=task_id), name="task"
    )
    if not permissions.can_delete_task(membership=membership):
        raise PermissionDenied("Only admins of this organization can delete tasks.")
    if request.method == "POST":
        try:
            result = delete_task(actor=request.user, task=task)
        except ConflictError as error:  # deleted meanwhile
            messages.error(request, error.message)
        else:
            messages.success(request, f"Task “{result.title}” deleted.")
        return redirect("tasks:list", org_slug=organization.slug)
    return render(
        request,
        "tasks/confirm_delete.html",
        {"organization": organization, "task": task},
    )


@login_required
@require_GET
def task_export(request: AuthenticatedHttpRequest, org_slug: str) -> HttpResponseBase:
    """The tasks of the list's filters as CSV, streamed row by row."""
    membership, members = found_or_404(
        get_membership_and_members(user=request.user, org_slug=org_slug),
        name="organization",
    )
    if not permissions.can_export_tasks(membership=membership):
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
    tasks = selectors.list_tasks(
        organization=organization, actor=request.user, filters=filters
    )
    rows = selectors.iter_task_csv_rows(tasks=tasks, chunk_size=EXPORT_CHUNK_SIZE)
    log_security_event("csv_export", request=request, organization_id=organization.pk)
    response = StreamingHttpResponse(
        _csv_lines(rows), content_type="text/csv; charset=utf-8"
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
