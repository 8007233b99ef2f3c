"""Fill the database with demo users and data.

Safe to run twice: whatever exists already is kept as it is.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Comment, Tag
from devtools.safety import new_demo_password, refuse_unless_demo_settings
from orgs.models import RESERVED_ORG_SLUGS, Membership, Organization
from tasks.models import Task, TaskEvent
from users.models import User

DEMO_USERS = [
    # username, role in the demo organization (None: staff account only)
    ("admin", None),
    ("alice", Membership.Role.ADMIN),
    ("bob", Membership.Role.MEMBER),
]
PUBLISHED = Article.Status.PUBLISHED
DRAFT = Article.Status.DRAFT
DEMO_ARTICLES = [
    # (author, title, status, tags, body)
    (
        "alice",
        "Thin views, fat services",
        PUBLISHED,
        ("Django", "Architecture"),
        "Views read the request and pick the response. Everything else has a "
        "better home: selectors for reads, services for writes, permissions "
        "for policy.",
    ),
    (
        "alice",
        "One query strategy for every list",
        PUBLISHED,
        ("Django", "Performance"),
        "Join the author, prefetch the tags, and the list costs the same number "
        "of queries for ten articles as for a thousand.",
    ),
    (
        "bob",
        "Testing each layer on its own",
        PUBLISHED,
        ("Testing", "Architecture"),
        "Permissions need no database, services need a transaction, views only "
        "need their wiring checked.",
    ),
    (
        "alice",
        "Notes for a future article",
        DRAFT,
        ("Django",),
        "Only the author and staff can read a draft.",
    ),
]


class Command(BaseCommand):
    help = "Create demo users and an organization with an admin and a member."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run under settings other than development's and the tests'.",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        refuse_unless_demo_settings(allow_production=options["allow_production"])
        self.passwords: dict[str, str] = {}
        users = {name: self._user(name) for name, _ in DEMO_USERS}
        # The demo organization is named after the project.
        org_name = str(settings.PROJECT_NAME)
        organization = Organization.objects.filter(
            name=org_name, memberships__user=users["alice"]
        ).first()
        if organization is None:
            base = slugify(org_name)[:140].strip("-") or "org"
            slug, n = base, 2
            while (
                slug in RESERVED_ORG_SLUGS
                or Organization.objects.filter(slug=slug).exists()
            ):
                slug, n = f"{base}-{n}", n + 1
            organization = Organization.objects.create(name=org_name, slug=slug)
            for name, role in DEMO_USERS:
                if role:
                    Membership.objects.create(
                        user=users[name], organization=organization, role=role
                    )
            self.stdout.write(f"Created organization {organization.name}.")
        else:
            self.stdout.write(f"Organization {organization.name} already exists.")

        created = self._tasks(organization, users["alice"], users["bob"])
        self.stdout.write(
            f"Created {created} demo tasks." if created else "Demo tasks already exist."
        )

        created = self._articles(users)
        self.stdout.write(
            f"Created {created} demo articles."
            if created
            else "Demo articles already exist."
        )

        self.stdout.write(self.style.SUCCESS("Demo accounts:"))
        for name, role in DEMO_USERS:
            what = f"{role} of {org_name}" if role else "site administrator"
            password = self.passwords.get(name, "(password unchanged)")
            self.stdout.write(f"  {name} / {password}  ({what})")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user
        password = self.passwords[username] = new_demo_password()
        if username == "admin":
            return User.objects.create_superuser(
                username=username,
                email=f"{username}@example.com",
                password=password,
            )
        return User.objects.create_user(
            username=username, email=f"{username}@example.com", password=password
        )

    def _tasks(self, organization: Organization, admin: User, member: User) -> int:
        existing = set(
            Task.objects.filter(organization=organization).values_list(
                "title", flat=True
            )
        )
        today = timezone.localdate()
        demo = [
            # title, status, priority, assignee, due in days, created by
            ("Write the welcome article", "todo", 3, member, 7, admin),
            ("Review the style guide", "in_progress", 2, member, None, admin),
            ("Plan the photo shoot", "done", 4, admin, 2, member),
            ("Update the budget sheet", "todo", 1, None, None, member),
            ("Archive last year's drafts", "todo", 2, None, None, admin),
        ]
        created = 0
        for title, status, priority, assignee, due_in, author in demo:
            if title in existing:
                continue
            task = Task.objects.create(
                organization=organization,
                title=title,
                status=status,
                priority=priority,
                assigned_to=assignee,
                due_date=today + timedelta(days=due_in) if due_in else None,
                created_by=author,
                updated_by=author,
            )
            TaskEvent.objects.create(
                organization=organization,
                task=task,
                actor=author,
                action=TaskEvent.Action.CREATED,
                details={"title": title, "status": status, "priority": priority},
            )
            created += 1
        return created

    def _articles(self, users: dict[str, User]) -> int:
        if Article.objects.exists():
            return 0
        articles = []
        for writer, title, status, tag_names, body in DEMO_ARTICLES:
            article = Article.objects.create(
                title=title,
                slug=slugify(title),
                body=body,
                status=status,
                author=users[writer],
                published_at=timezone.now() if status == PUBLISHED else None,
            )
            tags = [
                Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[
                    0
                ]
                for name in tag_names
            ]
            article.tags.set(tags)
            articles.append(article)
        first = articles[0]
        Comment.objects.create(
            article=first,
            author=users["bob"],
            body="Clear and to the point, thank you.",
            is_approved=True,
        )
        Comment.objects.create(
            article=first,
            author=users["bob"],
            body="What about the admin? (waiting for approval)",
        )
        return len(articles)
