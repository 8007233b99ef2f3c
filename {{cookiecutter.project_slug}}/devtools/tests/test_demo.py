"""The demo data goes through the services: their events, their mail, once."""

import pytest

from articles.models import Article, Comment
from devtools import demo
from tasks.models import Task, TaskEvent

pytestmark = pytest.mark.django_db


def test_seed_tasks_writes_the_history_and_is_idempotent(org_with_roles):
    seed = {
        "organization": org_with_roles.organization,
        "admin": org_with_roles.admin,
        "member": org_with_roles.member,
    }

    assert demo.seed_tasks(**seed) == Task.objects.count() == 5

    actions = list(TaskEvent.objects.values_list("action", flat=True))
    assert actions.count("created") == 5
    assert {"status_changed", "assignee_changed"} <= set(actions)
    handed_over = Task.objects.get(title="Plan the photo shoot")
    assert (handed_over.assigned_to, handed_over.status) == (
        org_with_roles.admin,
        "done",
    )
    assert demo.seed_tasks(**seed) == 0
    assert TaskEvent.objects.count() == len(actions)


def test_seed_articles_publishes_through_the_service_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    users, _ = demo.seed_users()

    with django_capture_on_commit_callbacks(execute=True):
        created = demo.seed_articles(users=users)

    assert created == Article.objects.count() == 4
    assert Article.objects.filter(published_at__isnull=False).count() == 3
    assert [c.is_approved for c in Comment.objects.order_by("id")] == [True, False]
    # The service mails each author; the command silences this (test_seed_demo).
    assert len(mailoutbox) == 3
    assert demo.seed_articles(users=users) == 0
