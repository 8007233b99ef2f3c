"""The architecture rules hold for this project, and each rule catches its case.

The rules live in ``devtools/architecture/``; docs/architecture.md says what
each rule id means and where the code belongs instead.
"""

import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from devtools.architecture.discovery import discover_apps, layer_of
from devtools.architecture.project import check_project
from devtools.architecture.violations import Violation

PROJECT_ROOT = Path(settings.BASE_DIR)


def test_the_project_breaks_no_architecture_rule():
    violations = check_project(PROJECT_ROOT)

    if violations:
        pytest.fail(
            f"{len(violations)} architecture violation(s); see "
            "docs/architecture.md, 'Reading a failing architecture check':\n"
            + "\n".join(str(violation) for violation in violations),
            pytrace=False,
        )


def test_the_domain_apps_are_found_without_config_core_and_devtools():
    apps = discover_apps(PROJECT_ROOT)

    assert {"users", "orgs", "articles", "tasks"} <= set(apps)
    assert not {"config", "core", "devtools"} & set(apps)


def test_a_violation_reads_as_path_line_rule_message():
    violation = Violation("app/views.py", 3, "views-no-orm", "move it")

    assert str(violation) == "app/views.py:3: [views-no-orm] move it"


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("services", "services"),
        ("services_email", "services"),
        ("forms_filters", "forms"),
        ("views", "views"),
        ("helpers", None),
        ("utils", None),
        ("services_", None),
        ("_services", None),
    ],
)
def test_topic_modules_belong_to_their_layer(module, layer):
    assert layer_of(module) == layer


# Small projects written to tmp_path ----------------------------------------


def make_app(root: Path, files: dict[str, str], app: str = "shop") -> Path:
    """An app folder with ``apps.py``, ``__init__.py`` and ``files``."""
    folder = root / app
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    (folder / "apps.py").write_text("")
    for name, source in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


def rules_of(violations: list[Violation]) -> list[str]:
    return [violation.rule for violation in violations]


def test_views_touching_the_orm_are_reported_with_the_selector_to_use(tmp_path):
    root = make_app(
        tmp_path,
        {
            "views.py": """\
                from shop.models import Item


                def item_list(request):
                    return Item.objects.filter(owner=request.user)
                """,
            "admin.py": "def count(model):\n    return model._default_manager.count()\n",
        },
    )

    violations = check_project(root)

    assert [str(v) for v in violations] == [
        "shop/admin.py:2: [views-no-orm] a view touches model._default_manager: "
        "move the query to shop/selectors.py and call it from the view",
        "shop/views.py:5: [views-no-orm] a view touches Item.objects: "
        "move the query to shop/selectors.py and call it from the view",
    ]


def test_views_opening_transactions_or_sending_mail_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "views_export.py": """\
                from django.core.mail import send_mail
                from django.db import transaction


                @transaction.atomic
                def export(request, rows):
                    rows.select_for_update()
                    send_mail("s", "b", None, ["a@example.com"])
                    request.message.send()
                """,
        },
    )

    violations = check_project(root)

    assert [(v.line, v.rule) for v in violations] == [
        (5, "views-no-transaction"),
        (7, "views-no-transaction"),
        (8, "views-no-mail"),
        (9, "views-no-mail"),
    ]
    assert "shop/services.py" in violations[0].message
    assert "transaction.on_commit" in violations[2].message


def test_views_queueing_jobs_are_reported_with_the_service_to_use(tmp_path):
    root = make_app(
        tmp_path,
        {
            "views.py": """\
                from functools import partial

                from shop.jobs import send_receipt


                def pay(request, order_id):
                    send_receipt.delay(order_id=order_id)
                    send_receipt.apply_async(kwargs={"order_id": order_id})
                    return partial(send_receipt.delay, order_id=order_id)
                """,
        },
    )

    violations = check_project(root)

    assert [(v.path, v.line, v.rule) for v in violations] == [
        ("shop/views.py", 7, "views-no-enqueue"),
        ("shop/views.py", 8, "views-no-enqueue"),
        ("shop/views.py", 9, "views-no-enqueue"),
    ]
    assert "a view queues a job (send_receipt.delay)" in violations[0].message
    assert "shop/services.py" in violations[0].message
    assert "transaction.on_commit(partial(job.delay, ...))" in violations[0].message


def test_thin_views_pass(tmp_path):
    root = make_app(
        tmp_path,
        {
            "views.py": """\
                from shop import selectors, services


                def item_list(request):
                    items = selectors.items_for(user=request.user)
                    services.touch(actor=request.user, items=items)
                    return items
                """,
        },
    )

    assert check_project(root) == []


SERVICES_ON_COMMIT = """\
    from functools import partial

    from django.core.mail import send_mail
    from django.db import transaction

    from shop.services_email import send_receipt


    def _notify(*, order, send_func):
        send_func(order)


    @transaction.atomic
    def place(*, actor, order, send_func):
        transaction.on_commit(partial(send_receipt, order=order))
        transaction.on_commit(partial(_notify, order=order, send_func=send_func))
        transaction.on_commit(lambda: send_mail("s", "b", None, [actor.email]))
    """
SERVICES_EMAIL = """\
    from core.email import send_email


    def _body(order):
        return str(order)


    def send_receipt(*, order):
        send_email(subject="Receipt", body=_body(order), to=[order.email])
    """


def test_jobs_queued_with_on_commit_pass(tmp_path):
    root = make_app(
        tmp_path,
        {
            "services.py": """\
                from functools import partial

                from django.db import transaction

                from shop import jobs
                from shop.jobs import send_receipt


                @transaction.atomic
                def place(*, order):
                    transaction.on_commit(partial(send_receipt.delay, order_id=order.pk))
                    transaction.on_commit(partial(jobs.ship.apply_async, [order.pk]))
                    transaction.on_commit(lambda: send_receipt.delay(order_id=order.pk))
                    transaction.on_commit(send_receipt.delay)
                """,
        },
    )

    assert check_project(root) == []


def test_jobs_queued_inside_the_transaction_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "services.py": """\
                from functools import partial

                from django.db import transaction

                from shop.jobs import send_receipt


                @transaction.atomic
                def place(*, order):
                    send_receipt.delay(order_id=order.pk)
                    queue = partial(send_receipt.delay, order_id=order.pk)
                    transaction.on_commit(queue)
                    transaction.on_commit(send_receipt.delay(order_id=order.pk))
                """,
        },
    )

    violations = check_project(root)

    assert [(v.line, v.rule) for v in violations] == [
        (10, "services-side-effect-on-commit"),
        (11, "services-side-effect-on-commit"),
        (13, "services-side-effect-on-commit"),
    ]
    assert violations[0].message.startswith(
        "send_receipt.delay(...) runs inside the transaction: queue the job with "
        "transaction.on_commit(partial(send_receipt.delay, ...))"
    )
    assert "send_receipt.delay is passed along outside transaction.on_commit" in (
        violations[1].message
    )


def test_jobs_importing_services_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "jobs.py": """\
                import orgs.services_invites
                from core.email import send_email_once
                from shop import selectors, services
                from shop.services_billing import refund

                from .services import place
                """,
        },
    )

    violations = check_project(root)

    assert [(v.line, v.rule) for v in violations] == [
        (1, "jobs-no-service"),
        (3, "jobs-no-service"),
        (4, "jobs-no-service"),
        (6, "jobs-no-service"),
    ]
    assert violations[0].message.startswith(
        "a job imports orgs.services_invites: a job loads fresh state through "
        "shop/selectors.py"
    )
    assert "shop.services" in violations[1].message


def test_jobs_reading_through_selectors_pass(tmp_path):
    root = make_app(
        tmp_path,
        {
            "jobs.py": """\
                from core.email import send_email_once
                from core.jobs import job
                from shop.selectors import get_order


                @job
                def send_receipt(*, order_id):
                    order = get_order(order_id=order_id)
                    if order is None:
                        return "skipped"
                    send_email_once(key=f"shop.receipt:{order_id}", subject="Receipt",
                                    body=str(order), to=[order.email])
                    return "sent"
                """,
        },
    )

    assert check_project(root) == []


def test_side_effects_registered_with_on_commit_pass(tmp_path):
    root = make_app(
        tmp_path,
        {"services.py": SERVICES_ON_COMMIT, "services_email.py": SERVICES_EMAIL},
    )

    assert check_project(root) == []


def test_side_effects_inside_the_transaction_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "services.py": """\
                from django.core.mail import send_mail
                from django.db import transaction

                from shop.services_email import send_receipt


                @transaction.atomic
                def place(*, actor, order):
                    send_mail("s", "b", None, [actor.email])
                    transaction.on_commit(send_receipt(order=order))
                    order.job.delay()
                """,
            "services_email.py": SERVICES_EMAIL,
        },
    )

    violations = check_project(root)

    assert [(v.path, v.line, v.rule) for v in violations] == [
        ("shop/services.py", 9, "services-side-effect-on-commit"),
        ("shop/services.py", 11, "services-side-effect-on-commit"),
        # send_receipt is called, not registered: it runs in the transaction.
        ("shop/services_email.py", 9, "services-side-effect-on-commit"),
    ]
    assert "send_mail(...) runs inside the transaction" in violations[0].message
    assert "transaction.on_commit(partial(" in violations[0].message


def test_a_mail_helper_called_directly_by_a_service_is_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "services.py": """\
                from functools import partial

                from django.db import transaction

                from shop import services_email


                @transaction.atomic
                def place(*, order):
                    transaction.on_commit(
                        partial(services_email.send_receipt, order=order)
                    )


                @transaction.atomic
                def refund(*, order):
                    services_email.send_receipt(order=order)
                """,
            "services_email.py": SERVICES_EMAIL,
        },
    )

    violations = check_project(root)

    assert [(v.path, v.line) for v in violations] == [("shop/services_email.py", 9)]


def test_permissions_running_queries_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "permissions.py": """\
                from shop.models import Item


                def can_buy(*, user, shop):
                    if Item.objects.filter(shop=shop).exists():
                        return True
                    return shop.members.filter(pk=user.pk).count() > 0
                """,
        },
    )

    violations = check_project(root)

    assert {(v.line, v.rule) for v in violations} == {
        (5, "permissions-no-query"),
        (7, "permissions-no-query"),
    }
    assert "Item.objects" in violations[0].message
    assert "shop/selectors.py" in violations[0].message


def test_pure_permissions_pass(tmp_path):
    root = make_app(
        tmp_path,
        {
            "permissions.py": """\
                def can_buy(*, membership, item, limits):
                    if limits.get("max", 0) < 1:
                        return False
                    return membership.organization_id == item.organization_id
                """,
        },
    )

    assert check_project(root) == []


def test_models_importing_upper_layers_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "models.py": """\
                from django.db import models

                from orgs.services_invites import invite_member
                from shop import selectors
                from shop.types import ItemInput
                """,
        },
    )

    violations = check_project(root)

    assert [(v.line, v.rule) for v in violations] == [
        (3, "models-no-upward-import"),
        (4, "models-no-upward-import"),
    ]
    assert "orgs.services_invites (services)" in violations[0].message


def test_modules_outside_the_layers_are_reported(tmp_path):
    root = make_app(
        tmp_path,
        {
            "helpers.py": "X = 1\n",
            "services_pricing.py": "X = 1\n",
            "conftest.py": "",
            "utils/__init__.py": "",
            "tests/test_x.py": "",
            "migrations/0001_initial.py": "",
            "management/commands/go.py": "",
            "templates/shop/x.html": "",
        },
    )

    violations = check_project(root)

    assert [(v.path, v.rule) for v in violations] == [
        ("shop/helpers.py", "module-without-layer"),
        ("shop/utils/", "module-without-layer"),
    ]
    assert "shop/services_helpers.py" in violations[0].message


def test_imports_of_config_settings_are_reported_outside_the_settings(tmp_path):
    root = make_app(
        tmp_path,
        {"selectors.py": "from config.settings import base\n"},
    )
    (root / "config" / "settings").mkdir(parents=True)
    (root / "config" / "__init__.py").write_text("")
    (root / "config" / "settings" / "__init__.py").write_text("")
    (root / "config" / "settings" / "dev.py").write_text("from .base import *\n")
    (root / "config" / "urls.py").write_text("from .settings import dev\n")
    (root / "manage.py").write_text("import config.settings.prod\n")

    violations = check_project(root)

    assert [(v.path, v.line, v.rule) for v in violations] == [
        ("config/urls.py", 1, "no-config-settings-import"),
        ("manage.py", 1, "no-config-settings-import"),
        ("shop/selectors.py", 1, "no-config-settings-import"),
    ]
    assert "from django.conf import settings" in violations[0].message
