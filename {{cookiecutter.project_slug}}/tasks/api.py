"""The tasks API: the task pages' work, in JSON, through the same layers.

Mounted under ``api/v1/orgs/<slug:org_slug>/tasks/``. Like the views: a
non-member gets 404 (the membership selector finds nothing), a member without
the right 403 (``tasks.permissions``), anonymous callers 401. A service's
refusal (``DomainError``) leaves through ``core.api.exception_handler``.
"""

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import Pagination, error_responses
from core.http import found_or_404
from orgs.models import Membership
from orgs.selectors import get_membership, get_membership_and_members
from tasks import permissions, selectors
from tasks.models import Task
from tasks.serializers import (
    TaskEventSerializer,
    TaskFilterSerializer,
    TaskInputSerializer,
    TaskSerializer,
    TaskUpdateSerializer,
)
from tasks.services import create_task, delete_task, update_task
from users.models import User

ORG_SLUG = OpenApiParameter("org_slug", OpenApiTypes.STR, OpenApiParameter.PATH)
TASK_ID = OpenApiParameter("task_id", OpenApiTypes.INT, OpenApiParameter.PATH)


def _actor(request: Request) -> User:
    """The signed-in caller: every endpoint here requires one (IsAuthenticated)."""
    return cast(User, request.user)


def _membership(request: Request, org_slug: str) -> Membership:
    return found_or_404(
        get_membership(user=request.user, org_slug=org_slug), name="organization"
    )


def _task(membership: Membership, task_id: int) -> Task:
    return found_or_404(
        selectors.get_task(organization=membership.organization, task_id=task_id),
        name="task",
    )


class TaskListApi(GenericAPIView[Task]):
    serializer_class = TaskSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="tasks_list",
        parameters=[ORG_SLUG, TaskFilterSerializer],
        responses={200: TaskSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request, org_slug: str) -> Response:
        """The organization's tasks, newest first, with the list page's filters."""
        membership, members = found_or_404(
            get_membership_and_members(user=request.user, org_slug=org_slug),
            name="organization",
        )
        filters = TaskFilterSerializer(
            data=request.query_params, member_ids={m.user_id for m in members}
        )
        filters.is_valid(raise_exception=True)
        tasks = selectors.list_tasks(
            organization=membership.organization,
            actor=_actor(request),
            filters=filters.to_filters(),
        )
        page = self.paginate_queryset(tasks) or []
        return self.get_paginated_response(TaskSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tasks_create",
        parameters=[ORG_SLUG],
        request=TaskInputSerializer,
        responses={201: TaskSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        membership = _membership(request, org_slug)
        if not permissions.can_create_task(membership=membership):
            raise PermissionDenied
        serializer = TaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = create_task(
            actor=_actor(request),
            organization=membership.organization,
            data=serializer.to_input(),
        )
        return Response(
            TaskSerializer(result.task).data, status=status.HTTP_201_CREATED
        )


class TaskDetailApi(GenericAPIView[Task]):
    serializer_class = TaskSerializer

    @extend_schema(
        operation_id="tasks_retrieve",
        parameters=[ORG_SLUG, TASK_ID],
        responses={200: TaskSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, org_slug: str, task_id: int) -> Response:
        task = _task(_membership(request, org_slug), task_id)
        return Response(TaskSerializer(task).data)

    @extend_schema(
        operation_id="tasks_update",
        parameters=[ORG_SLUG, TASK_ID],
        request=TaskUpdateSerializer,
        responses={200: TaskSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def put(self, request: Request, org_slug: str, task_id: int) -> Response:
        membership = _membership(request, org_slug)
        task = _task(membership, task_id)
        if not permissions.can_edit_task(
            membership=membership, user=_actor(request), task=task
        ):
            raise PermissionDenied
        serializer = TaskUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = update_task(
            actor=_actor(request),
            task=task,
            data=serializer.to_input(),
            version=serializer.edit_version(),
        )
        return Response(TaskSerializer(result.task).data)

    @extend_schema(
        operation_id="tasks_destroy",
        parameters=[ORG_SLUG, TASK_ID],
        request=None,
        responses={204: None, **error_responses(401, 403, 404, 409)},
    )
    def delete(self, request: Request, org_slug: str, task_id: int) -> Response:
        membership = _membership(request, org_slug)
        task = _task(membership, task_id)
        if not permissions.can_delete_task(membership=membership):
            raise PermissionDenied
        delete_task(actor=_actor(request), task=task)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskEventListApi(GenericAPIView[Any]):
    serializer_class = TaskEventSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="tasks_events_list",
        parameters=[ORG_SLUG, TASK_ID],
        responses={200: TaskEventSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, org_slug: str, task_id: int) -> Response:
        """The task's history, newest first."""
        task = _task(_membership(request, org_slug), task_id)
        page = self.paginate_queryset(selectors.list_task_events(task=task)) or []
        return self.get_paginated_response(TaskEventSerializer(page, many=True).data)
