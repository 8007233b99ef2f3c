"""Demo data, written through the apps' services as the pages would write it.

Each function is safe to run twice: what exists already is kept as it is,
found through the apps' selectors. ``manage.py seed_demo`` calls them in one
transaction, with mail sent nowhere (``silenced_mail``).
"""

from datetime import timedelta

import django
from django.conf import settings
from django.test.utils import override_settings
from django.utils import timezone

from articles.selectors import has_articles
from articles.services import add_comment, approve_comment, create_article
from articles.types import ArticleInput, ArticleStatus
from devtools.safety import new_demo_password
from orgs.models import Organization
from orgs.selectors import list_memberships
from orgs.services import add_member, create_organization
from orgs.types import MembershipRole
from tasks.models import Task
from tasks.selectors import list_task_titles
from tasks.services import create_task, update_task
from tasks.types import TaskInput, TaskPriority, TaskStatus
from users.models import User
from users.selectors import get_user
from users.services import register_user

DEMO_USERS = [
    # username, role in the demo organization (None: staff account only)
    ("admin", None),
    ("alice", MembershipRole.ADMIN),
    ("bob", MembershipRole.MEMBER),
]
DEMO_ARTICLES = [
    # (author: "alice" or "bob", title, status, tags, body)
    (
        "alice",
        "Thin views, fat services",
        ArticleStatus.PUBLISHED,
        ("Django", "Architecture"),
        "Views read the request and pick the response. Everything else has a "
        "better home: selectors for reads, services for writes, permissions "
        "for policy.",
    ),
    (
        "alice",
        "One query strategy for every list",
        ArticleStatus.PUBLISHED,
        ("Django", "Performance"),
        "Join the author, prefetch the tags, and the list costs the same number "
        "of queries for ten articles as for a thousand.",
    ),
    (
        "bob",
        "Testing each layer on its own",
        ArticleStatus.PUBLISHED,
        ("Testing", "Architecture"),
        "Permissions need no database, services need a transaction, views only "
        "need their wiring checked.",
    ),
    (
        "alice",
        "Notes for a future article",
        ArticleStatus.DRAFT,
        ("Django",),
        "Only the author and staff can read a draft.",
    ),
]
DUMMY_MAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


def silenced_mail() -> override_settings:
    """Mail settings that send nowhere, in the form this Django version reads."""
    if django.VERSION >= (6, 1):
        return override_settings(MAILERS={"default": {"BACKEND": DUMMY_MAIL_BACKEND}})
    return override_settings(EMAIL_BACKEND=DUMMY_MAIL_BACKEND)


def seed_users() -> tuple[dict[str, User], dict[str, str]]:
    """The demo accounts by username, registered when missing, and the random
    password of each account registered now (the others keep theirs)."""
    users, passwords = {}, {}
    for username, _ in DEMO_USERS:
        user = get_user(username=username)
        if user is None:
            passwords[username] = new_demo_password()
            user = register_user(
                username=username,
                email=f"{username}@example.com",
                password=passwords[username],
                is_superuser=username == "admin",
            )
        users[username] = user
    return users, passwords


def demo_organization_name() -> str:
    """The demo organization is named after the project, as people read it."""
    return str(settings.PROJECT_NAME)


def seed_organization(*, admin: User, member: User) -> tuple[Organization, bool]:
    """The demo organization, and whether it was created now.

    It is the organization of the demo admin that bears the project's name,
    whatever slug it got: another one of that name keeps its own.
    """
    name = demo_organization_name()
    for membership in list_memberships(user=admin):
        if membership.organization.name == name:
            return membership.organization, False
    organization = create_organization(actor=admin, name=name).organization
    add_member(
        actor=admin, organization=organization, user=member, role=MembershipRole.MEMBER
    )
    return organization, True


def seed_tasks(*, organization: Organization, admin: User, member: User) -> int:
    """Create the demo tasks that are missing (by title); return how many."""
    existing = list_task_titles(organization=organization)
    today = timezone.localdate()
    created = 0

    def add(data: TaskInput, *, actor: User) -> Task | None:
        nonlocal created
        if data.title in existing:
            return None
        created += 1
        return create_task(actor=actor, organization=organization, data=data).task

    add(
        TaskInput(
            title="Write the welcome article",
            description="A short introduction for new readers.",
            priority=TaskPriority.HIGH,
            assigned_to_id=member.pk,
            due_date=today + timedelta(days=7),
        ),
        actor=admin,
    )
    started = add(
        TaskInput(
            title="Review the style guide",
            description="Check headlines and captions against the guide.",
            assigned_to_id=member.pk,
        ),
        actor=admin,
    )
    if started is not None:  # a status change in the history
        update_task(
            actor=member,
            task=started,
            data=TaskInput(
                title=started.title,
                description=started.description,
                status=TaskStatus.IN_PROGRESS,
                priority=started.priority,
                assigned_to_id=started.assigned_to_id,
                due_date=started.due_date,
            ),
        )
    handed_over = add(
        TaskInput(
            title="Plan the photo shoot",
            priority=TaskPriority.URGENT,
            assigned_to_id=member.pk,
            due_date=today + timedelta(days=2),
        ),
        actor=member,
    )
    if handed_over is not None:  # a reassignment, then done
        update_task(
            actor=admin,
            task=handed_over,
            data=TaskInput(
                title=handed_over.title,
                status=TaskStatus.DONE,
                priority=handed_over.priority,
                assigned_to_id=admin.pk,
                due_date=handed_over.due_date,
            ),
        )
    add(
        TaskInput(title="Update the budget sheet", priority=TaskPriority.LOW),
        actor=member,
    )
    add(TaskInput(title="Archive last year's drafts"), actor=admin)
    return created


def seed_articles(*, users: dict[str, User]) -> int:
    """Create the demo articles, tags and comments once; return the articles made."""
    if has_articles():
        return 0
    articles = [
        create_article(
            actor=users[writer],
            data=ArticleInput(title=title, body=body, status=status, tag_names=tags),
        ).article
        for writer, title, status, tags, body in DEMO_ARTICLES
    ]
    author, reader = users["alice"], users["bob"]
    approved = add_comment(
        actor=reader, article=articles[0], body="Clear and to the point, thank you."
    )
    approve_comment(actor=author, comment=approved)
    add_comment(
        actor=reader,
        article=articles[0],
        body="What about the admin? (waiting for approval)",
    )
    return len(articles)
