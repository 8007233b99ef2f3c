"""Fill the database with demo users and data, through the services.

Safe to run twice: whatever exists already is kept as it is.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.services_demo import seed_articles_demo
from orgs.models import Membership
from orgs.selectors import get_organization_by_slug
from orgs.services import add_member, create_organization
from tasks.services_demo import seed_tasks_demo
from users.models import User
from users.selectors import get_user_by_username
from users.services import register_user

DEMO_PASSWORD = "layered-demo-2024"  # noqa: S105 - printed on purpose
DEMO_ORG_NAME = "Demo Newsroom"
DEMO_USERS = [
    # username, role in the demo organization (None: staff account only)
    ("admin", None),
    ("alice", Membership.Role.ADMIN),
    ("bob", Membership.Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create demo users and an organization with an admin and a member."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        users = {name: self._user(name) for name, _ in DEMO_USERS}
        organization = get_organization_by_slug(slug="demo-newsroom")
        if organization is None:
            organization = create_organization(
                actor=users["alice"], name=DEMO_ORG_NAME
            ).organization
            add_member(
                actor=users["alice"],
                organization=organization,
                user=users["bob"],
                role=Membership.Role.MEMBER,
            )
            self.stdout.write(f"Created organization {organization.name}.")
        else:
            self.stdout.write(f"Organization {organization.name} already exists.")

        created = seed_tasks_demo(
            organization=organization, admin=users["alice"], member=users["bob"]
        )
        self.stdout.write(
            f"Created {created} demo tasks." if created else "Demo tasks already exist."
        )

        created = seed_articles_demo(author=users["alice"], other=users["bob"])
        self.stdout.write(
            f"Created {created} demo articles."
            if created
            else "Demo articles already exist."
        )

        self.stdout.write(self.style.SUCCESS("Demo accounts:"))
        for name, role in DEMO_USERS:
            what = f"{role} of {DEMO_ORG_NAME}" if role else "site administrator"
            self.stdout.write(f"  {name} / {DEMO_PASSWORD}  ({what})")

    def _user(self, username: str) -> User:
        user = get_user_by_username(username=username)
        if user is not None:
            return user
        return register_user(
            username=username,
            email=f"{username}@example.com",
            password=DEMO_PASSWORD,
            is_superuser=username == "admin",
        )
