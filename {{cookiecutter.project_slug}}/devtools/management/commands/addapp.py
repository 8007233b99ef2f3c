"""``python manage.py addapp NAME``: a new domain app with every layer module.

The app gets a working example through all the layers (a model, selectors,
a service, a permission, views, their templates, a migration and tests per
layer) and is wired into ``LOCAL_APPS``, ``config/urls.py`` (under
``orgs/<slug:org_slug>/NAME/``) and the import-linter contracts.
``--dry-run`` lists all that and writes nothing. The steps are in
``devtools/addapp.py``; the skeleton is ``devtools/app_template/``.
"""

from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.migrations.loader import MigrationLoader

from devtools.addapp import AddAppError, apply_plan, plan_app


def installed_labels() -> set[str]:
    """Labels and top-level package names of every installed app."""
    labels = set()
    for app_config in apps.get_app_configs():
        labels.add(app_config.label)
        labels.add(app_config.name.split(".")[0])
    return labels


def latest_migration(app_label: str) -> str:
    """The name of ``app_label``'s last migration (the new app's dependency)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = sorted(name for _, name in loader.graph.leaf_nodes(app_label))
    return leaves[-1] if leaves else "0001_initial"


class Command(BaseCommand):
    help = (
        "Add a domain app with every layer module and a working example, "
        "wired into settings, URLs and the import-linter contracts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the app's name, e.g. billing")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what would be created and changed; write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"]
        root = Path(settings.BASE_DIR)
        try:
            plan = plan_app(
                name,
                root=root,
                taken_labels=installed_labels(),
                orgs_migration=latest_migration("orgs"),
            )
            if options["dry_run"]:
                self.stdout.write(plan.describe())
                self.stdout.write("Dry run: nothing was written.")
                return
            apply_plan(plan)
        except AddAppError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(plan.describe())
        self.stdout.write(
            self.style.SUCCESS(f"Added the app {name!r}.")
            + "\nNext: python manage.py migrate, then make check. Rename "
            f"{name}/models.py's example model and grow each layer from there; "
            "docs/architecture.md says what goes where."
        )
