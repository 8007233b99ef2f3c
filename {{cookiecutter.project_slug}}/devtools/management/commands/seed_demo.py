"""Fill the database with demo users and data, through the services.

Safe to run twice: whatever exists already is kept as it is. The demo's
publications e-mail nobody: mail goes to a dummy backend while it runs. The
accounts get random passwords, printed once; production settings are refused
unless ``--allow-production`` is given.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from devtools import demo
from devtools.safety import refuse_unless_demo_settings


class Command(BaseCommand):
    help = "Create demo users, an organization with an admin and a member, tasks and articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run under settings other than development's and the tests'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_unless_demo_settings(allow_production=options["allow_production"])
        # The mail of a service waits for the commit: keep the dummy backend
        # until after it.
        with demo.silenced_mail(), transaction.atomic():
            users, passwords = demo.seed_users()
            organization, created = demo.seed_organization(
                admin=users["alice"], member=users["bob"]
            )
            tasks = demo.seed_tasks(
                organization=organization, admin=users["alice"], member=users["bob"]
            )
            articles = demo.seed_articles(users=users)

        name = organization.name
        self.stdout.write(
            f"Created organization {name}."
            if created
            else f"Organization {name} already exists."
        )
        self.stdout.write(
            f"Created {tasks} demo tasks." if tasks else "Demo tasks already exist."
        )
        self.stdout.write(
            f"Created {articles} demo articles."
            if articles
            else "Demo articles already exist."
        )
        self.stdout.write(self.style.SUCCESS("Demo accounts:"))
        for username, role in demo.DEMO_USERS:
            what = f"{role} of {name}" if role else "site administrator"
            password = passwords.get(username, "(password unchanged)")
            self.stdout.write(f"  {username} / {password}  ({what})")
        if passwords:
            self.stdout.write(
                "The passwords are random and shown this once. The admin site "
                "asks the site administrator to set up two-step verification."
            )
