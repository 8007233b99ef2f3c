"""The layer rules that import contracts cannot say, checked by reading the code.

import-linter (``make lint``) checks who may import whom. The rules here look
inside the modules with ``ast``, without importing them:

- ``views-no-orm``, ``views-no-transaction``, ``views-no-mail``: views
  (``views.py``, ``views_<topic>.py``, ``admin.py``, ``api.py``) touch no
  ``.objects``, open no transaction and send no mail;
- ``services-side-effect-on-commit``: services send mail, enqueue jobs and
  call other systems only from ``transaction.on_commit`` (see
  ``check_services`` for the exact rule);
- ``permissions-no-query``: permission functions run no query;
- ``models-no-upward-import``: models import no services, selectors, forms,
  views (topic modules included, which the contracts cannot name);
- ``module-without-layer``: every module of a domain app belongs to a layer;
- ``no-config-settings-import``: code reads ``django.conf.settings``, never a
  ``config.settings`` module.

``check_project(root)`` runs them all; ``config/tests/test_architecture.py``
runs it on this project, and docs/architecture.md explains each rule id.

The package, by topic: ``violations`` (``Violation`` and the code-reading
helpers), ``discovery`` (apps, layers, modules), one ``rules_<topic>`` module
per group of rules, and ``project`` (``check_project``). Everything is
importable from ``config.architecture`` itself.
"""

from .discovery import (
    _MODULE_NAME,
    APP_EXTRA_MODULES,
    APP_PACKAGES,
    LAYERS,
    NOT_DOMAIN_APPS,
    app_modules,
    discover_apps,
    is_package,
    layer_of,
    project_python_files,
)
from .project import (
    APP_RULES,
    check_project,
)
from .rules_layers import (
    ABOVE_MODELS,
    _imported_modules,
    check_layers,
    check_models,
)
from .rules_permissions import (
    QUERY_METHODS,
    check_permissions,
)
from .rules_services import (
    SIDE_EFFECT_CALLS,
    SIDE_EFFECT_METHODS,
    SIDE_EFFECT_MODULES,
    _eager_side_effects,
    _Function,
    _is_on_commit,
    _is_partial,
    _is_side_effect,
    _on_commit_lambda_nodes,
    _ServicesIndex,
    check_services,
)
from .rules_settings import (
    SETTINGS_IMPORT_ALLOWED,
    _absolute_module,
    _may_import_config,
    check_settings_imports,
)
from .rules_views import (
    MAIL_CALLS,
    VIEW_LAYERS,
    check_views,
)
from .violations import (
    MANAGER_ATTRIBUTES,
    Violation,
    _calls,
    _manager_accesses,
    _name,
    _parse,
    _parse_cached,
    _relative,
    _short,
)

__all__ = [
    "ABOVE_MODELS",
    "APP_EXTRA_MODULES",
    "APP_PACKAGES",
    "APP_RULES",
    "LAYERS",
    "MAIL_CALLS",
    "MANAGER_ATTRIBUTES",
    "NOT_DOMAIN_APPS",
    "QUERY_METHODS",
    "SETTINGS_IMPORT_ALLOWED",
    "SIDE_EFFECT_CALLS",
    "SIDE_EFFECT_METHODS",
    "SIDE_EFFECT_MODULES",
    "VIEW_LAYERS",
    "_MODULE_NAME",
    "Violation",
    "_Function",
    "_ServicesIndex",
    "_absolute_module",
    "_calls",
    "_eager_side_effects",
    "_imported_modules",
    "_is_on_commit",
    "_is_partial",
    "_is_side_effect",
    "_manager_accesses",
    "_may_import_config",
    "_name",
    "_on_commit_lambda_nodes",
    "_parse",
    "_parse_cached",
    "_relative",
    "_short",
    "app_modules",
    "check_layers",
    "check_models",
    "check_permissions",
    "check_project",
    "check_services",
    "check_settings_imports",
    "check_views",
    "discover_apps",
    "is_package",
    "layer_of",
    "project_python_files",
]
