"""The refactoring steps of each app: selectors, services, permissions."""

from pathlib import Path

from devtools.architecture.rules_permissions import check_permissions
from devtools.architecture.rules_services import check_services

from .findings import Finding
from .reading import (
    has_query,
    is_atomic,
    layer_files,
    parse,
    public_functions,
    relative,
    writes,
)
from .step import Step
from .step_findings import (
    inline_rules,
    missing_module,
    tests_pass,
    view_violations,
    view_writes,
    views_use,
)
from .testrun import SuiteRun


def selectors_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "selectors", "move the views' queries into functions there"
        )
        for path in layer_files(root, app, "selectors"):
            tree = parse(path)
            if tree is None or not any(has_query(f) for f in public_functions(tree)):
                findings.append(
                    Finding(
                        relative(root, path),
                        1,
                        "no function here queries the database yet: move the "
                        "views' queries into functions of this module",
                    )
                )
        findings += view_violations(root, app, ["views-no-orm"])
        findings += views_use(root, app, "selectors")
        findings += tests_pass(root, tests, [f"{app}/tests/test_selectors.py"])
        return findings

    return Step(
        f"{app}-selectors",
        f"{app}: every query lives in {app}/selectors.py and the views call it",
        check,
    )


def services_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "services", "move the views' writes into functions there"
        )
        services = [parse(path) for path in layer_files(root, app, "services")]
        if services and not any(
            is_atomic(f) and any(writes(f))
            for tree in services
            if tree is not None
            for f in public_functions(tree)
        ):
            findings.append(
                Finding(
                    f"{app}/services.py",
                    1,
                    "no @transaction.atomic function here writes yet: move a "
                    "workflow of the views here",
                )
            )
        findings += view_violations(
            root, app, ["views-no-transaction", "views-no-mail"]
        )
        findings += view_writes(root, app)
        findings += [
            Finding(v.path, v.line, v.message) for v in check_services(root, app)
        ]
        findings += views_use(root, app, "services")
        findings += tests_pass(root, tests, [f"{app}/tests/test_services*.py"])
        return findings

    return Step(
        f"{app}-services",
        f"{app}: writes and side effects live in {app}/services.py "
        "(atomic, mail after commit)",
        check,
    )


def permissions_step(app: str) -> Step:
    def check(root: Path, tests: SuiteRun) -> list[Finding]:
        findings = missing_module(
            root, app, "permissions", "write the rules as can_<action>_<thing>()"
        )
        for path in layer_files(root, app, "permissions"):
            tree = parse(path)
            if tree is None or not any(
                f.name.startswith("can_") for f in public_functions(tree)
            ):
                findings.append(
                    Finding(
                        relative(root, path),
                        1,
                        "no can_<action>_<thing>() function here yet",
                    )
                )
        findings += [
            Finding(v.path, v.line, v.message) for v in check_permissions(root, app)
        ]
        findings += inline_rules(root, app)
        findings += views_use(
            root, app, "permissions", name=lambda n: n.startswith("can_")
        )
        findings += tests_pass(root, tests, [f"{app}/tests/test_permissions.py"])
        return findings

    return Step(
        f"{app}-permissions",
        f"{app}: who may do what lives in {app}/permissions.py",
        check,
    )
