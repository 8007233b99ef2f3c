"""``manage.py seed_demo``: its accounts sign in, a second run adds nothing, no mail."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
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
    assert re.search(r"^  alice / \S{20}  \(admin of ", output, re.MULTILINE)


@override_settings(PROJECT_NAME="Daily Planet")
def test_the_demo_organization_is_named_after_the_project():
    output = seed()

    organization = Organization.objects.get()
    assert (organization.name, organization.slug) == ("Daily Planet", "daily-planet")
    assert "(admin of Daily Planet)" in output


def test_seed_demo_is_safe_to_run_twice():
    seed()
    before = counts()

    output = seed()

    assert counts() == before
    assert "already exist" in output
    assert "alice / (password unchanged)" in output


def printed_password(output: str, username: str) -> str:
    match = re.search(rf"^  {username} / (\S+)  \(", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_printed_password_signs_the_demo_user_in():
    output = seed()

    # The log-in throttling (django-axes) counts attempts per request.
    assert Client().login(
        request=HttpRequest(),
        username="alice",
        password=printed_password(output, "alice"),
    )


def test_each_bake_and_each_account_gets_its_own_password():
    output = seed()

    passwords = {printed_password(output, name) for name in ("admin", "alice", "bob")}
    assert len(passwords) == 3
    assert "layered-demo-2024" not in output


@override_settings(DEMO_DATA_ALLOWED=False)
def test_production_settings_are_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match="--allow-production"):
        seed()

    assert not User.objects.exists()


@override_settings(DEMO_DATA_ALLOWED=False)
def test_production_settings_are_accepted_when_told():
    out = StringIO()
    call_command("seed_demo", "--allow-production", stdout=out)

    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db(transaction=True)
def test_the_demo_publications_mail_nobody():
    """Really committed, so the services' on-commit mail would go out."""
    seed()

    assert Article.objects.filter(published_at__isnull=False).exists()
    assert mail.outbox == []
