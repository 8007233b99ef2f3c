"""The home page and "my tasks": what a person has to do, across the apps.

Each view queries the organizations, the tasks and the articles itself.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import F
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
        context |= _work_of(request.user, limit=HOME_TASKS)
    return render(request, "home.html", context)


@login_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "dashboard/my_tasks.html", _work_of(request.user, limit=MY_TASKS)
    )


def _work_of(user: User, *, limit: int) -> dict[str, object]:
    open_tasks = Task.objects.filter(
        assigned_to=user, organization__memberships__user=user
    ).exclude(status=Task.Status.DONE)
    return {
        "memberships": Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("organization__name", "organization__slug"),
        "assigned_tasks": open_tasks.select_related("organization").order_by(
            F("due_date").asc(nulls_last=True), "-created_at", "-id"
        )[:limit],
        "assigned_count": open_tasks.count(),
        "today": timezone.localdate(),
    }
