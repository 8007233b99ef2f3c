"""The home page and "my tasks": what a person has to do, across the apps.

Each view queries the organizations, the tasks and the articles itself.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.models import Article
from orgs.models import Membership
from tasks.models import Task
from users.models import User
from users.types import AuthenticatedHttpRequest

HOME_TASKS = 10
HOME_ARTICLES = 5
MY_TASKS = 100


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    articles = (
        Article.objects.published()
        .select_related("author")
        .order_by("-published_at", "-id")[:HOME_ARTICLES]
    )
    context: dict[str, object] = {"articles": articles}
    if isinstance(request.user, User):  # signed in
        assigned = list(_open_tasks(request.user)[: HOME_TASKS + 1])
        context |= {
            "memberships": _memberships(request.user),
            "assigned_tasks": assigned[:HOME_TASKS],
            "more_assigned": len(assigned) > HOME_TASKS,
            "today": timezone.localdate(),
        }
    return render(request, "home.html", context)


@login_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "memberships": _memberships(user),
        "assigned_tasks": _open_tasks(user)[:MY_TASKS],
        "assigned_count": _open_tasks(user).count(),
        "today": timezone.localdate(),
    }
    return render(request, "dashboard/my_tasks.html", context)


def _memberships(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "organization__slug")
    )


def _open_tasks(user: User) -> QuerySet[Task]:
    return (
        Task.objects.filter(assigned_to=user, organization__memberships__user=user)
        .exclude(status=Task.Status.DONE)
        .select_related("organization")
        .order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")
    )
