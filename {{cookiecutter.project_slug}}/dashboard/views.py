"""The pages that gather a person's work from every app: home and "my tasks".

An app of its own because it reads orgs, tasks and articles, which do not
read each other; it writes nothing, so it has views and no other layer.
"""

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from articles.selectors import list_recent_articles
from orgs.selectors import list_memberships
from tasks.models import Task
from tasks.selectors import count_assigned_tasks, list_assigned_tasks
from users.types import AuthenticatedHttpRequest

HOME_TASKS = 10
HOME_ARTICLES = 5
# "My tasks" is one page: a person with more open tasks narrows them in each
# organization's task list.
MY_TASKS = 100


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What the site is and its latest articles; a signed-in person's work first."""
    context: dict[str, object] = {"articles": list_recent_articles(limit=HOME_ARTICLES)}
    if request.user.is_authenticated:
        # One task more than shown tells whether "My tasks" holds more: home
        # counts nothing, so its cost does not grow with a person's tasks.
        assigned = list(list_assigned_tasks(user=request.user, limit=HOME_TASKS + 1))
        context |= _work_of(request, assigned_tasks=assigned[:HOME_TASKS])
        context["more_assigned"] = len(assigned) > HOME_TASKS
    return render(request, "home.html", context)


@login_required
@require_GET
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open tasks assigned to the person, across their organizations."""
    user = request.user
    context = _work_of(
        request, assigned_tasks=list_assigned_tasks(user=user, limit=MY_TASKS)
    )
    context["assigned_count"] = count_assigned_tasks(user=user)
    return render(request, "dashboard/my_tasks.html", context)


def _work_of(
    request: HttpRequest, *, assigned_tasks: Iterable[Task]
) -> dict[str, object]:
    return {
        "memberships": list_memberships(user=request.user),
        "assigned_tasks": assigned_tasks,
        "today": timezone.localdate(),
    }
