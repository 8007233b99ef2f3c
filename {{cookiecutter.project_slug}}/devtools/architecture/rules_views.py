"""``views-no-orm``, ``views-no-transaction``, ``views-no-mail``, ``views-no-enqueue``."""

import ast
from pathlib import Path

from .discovery import app_modules
from .violations import (
    Violation,
    calls,
    manager_accesses,
    name_of,
    parse_module,
    relative_path,
    short,
)

# The views layer: the HTTP boundary (HTML views, the admin, an API).
VIEW_LAYERS = ("views", "admin", "api")
MAIL_CALLS = (
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "send_email",
    "EmailMessage",
    "EmailMultiAlternatives",
)
# Queueing a job: Celery's ``job.delay(...)``, ``job.apply_async(...)``,
# ``app.send_task(...)``, called or passed along.
ENQUEUE_ATTRIBUTES = ("delay", "apply_async", "send_task")


def check_views(root: Path, app: str) -> list[Violation]:
    """Views, the admin and the API: no ORM, no transaction, no mail, no job queued."""
    violations = []
    for path in app_modules(root, app, VIEW_LAYERS):
        rel = relative_path(root, path)
        tree = parse_module(path)
        for node in manager_accesses(tree):
            violations.append(
                Violation(
                    rel,
                    node.lineno,
                    "views-no-orm",
                    f"a view touches {short(node)}: move the query to "
                    f"{app}/selectors.py and call it from the view",
                )
            )
        for found in ast.walk(tree):
            if isinstance(found, ast.Attribute | ast.Name) and name_of(found) in (
                "atomic",
                "select_for_update",
            ):
                violations.append(
                    Violation(
                        rel,
                        found.lineno,
                        "views-no-transaction",
                        f"a view opens a transaction ({short(found)}): move the "
                        f"workflow to a @transaction.atomic function in "
                        f"{app}/services.py and call it from the view",
                    )
                )
        for call in calls(tree):
            name = name_of(call.func)
            if name in MAIL_CALLS or (
                isinstance(call.func, ast.Attribute) and name == "send"
            ):
                violations.append(
                    Violation(
                        rel,
                        call.lineno,
                        "views-no-mail",
                        f"a view sends mail ({short(call.func)}(...)): send it "
                        f"from a job in {app}/jobs.py, through "
                        "core.email.send_email_once, queued by a service with "
                        "transaction.on_commit(partial(job.delay, ...))",
                    )
                )
        for found in ast.walk(tree):
            if isinstance(found, ast.Attribute) and found.attr in ENQUEUE_ATTRIBUTES:
                violations.append(
                    Violation(
                        rel,
                        found.lineno,
                        "views-no-enqueue",
                        f"a view queues a job ({short(found)}): queue it from the "
                        f"service in {app}/services.py whose write it follows, "
                        "with transaction.on_commit(partial(job.delay, ...)), and "
                        "call the service from the view",
                    )
                )
    return violations
