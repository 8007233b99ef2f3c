"""``manage.py seed_demo``: its accounts sign in, a second run adds nothing, no mail."""

from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client, override_settings

from articles.models import Article, Comment, Tag
from orgs.models import Membership, Organization
from tasks.models import Task, TaskEvent
from users.models import User

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Organization,
            Membership,
            Task,
            TaskEvent,
            Article,
            Tag,
            Comment,
        )
    }


def test_seed_demo_creates_users_an_org_with_roles_tasks_and_articles():
    output = seed()

    organization = Organization.objects.get(name=settings.PROJECT_NAME)
    roles = dict(
        Membership.objects.filter(organization=organization).values_list(
            "user__username", "role"
        )
    )
    assert roles == {"alice": "admin", "bob": "member"}
    assert User.objects.get(username="admin").is_superuser
    assert Task.objects.filter(organization=organization).exists()
    assert Article.objects.filter(status=Article.Status.PUBLISHED).exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert "alice / layered-demo-2024" in output


@override_settings(PROJECT_NAME="Daily Planet")
def test_the_demo_organization_is_named_after_the_project():
    output = seed()

    organization = Organization.objects.get()
    assert (organization.name, organization.slug) == ("Daily Planet", "daily-planet")
    assert "alice / layered-demo-2024  (admin of Daily Planet)" in output


def test_seed_demo_is_safe_to_run_twice():
    seed()
    before = counts()

    output = seed()

    assert counts() == before
    assert "already exist" in output


def test_printed_password_signs_the_demo_user_in():
    seed()

    # The log-in throttling (django-axes) counts attempts per request.
    assert Client().login(
        request=HttpRequest(), username="alice", password="layered-demo-2024"
    )


@pytest.mark.django_db(transaction=True)
def test_the_demo_publications_mail_nobody():
    """Really committed, so the services' on-commit mail would go out."""
    seed()

    assert Article.objects.filter(published_at__isnull=False).exists()
    assert mail.outbox == []
