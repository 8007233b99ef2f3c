"""Every rule, run on a whole project."""

from collections.abc import Sequence
from pathlib import Path

from .discovery import discover_apps
from .rules_jobs import check_jobs
from .rules_layers import check_layers, check_models
from .rules_permissions import check_permissions
from .rules_services import check_services
from .rules_settings import check_settings_imports
from .rules_views import check_views
from .violations import Violation

APP_RULES = (
    check_layers,
    check_models,
    check_views,
    check_services,
    check_jobs,
    check_permissions,
)


def check_project(root: Path, apps: Sequence[str] | None = None) -> list[Violation]:
    """Every violation in the project at ``root``, sorted by file and line.

    ``apps`` defaults to the domain apps found by ``discover_apps``.
    """
    root = Path(root)
    violations: list[Violation] = []
    for app in discover_apps(root) if apps is None else apps:
        for rule in APP_RULES:
            violations += rule(root, app)
    violations += check_settings_imports(root)
    return sorted(set(violations), key=lambda v: (v.path, v.line, v.rule, v.message))
