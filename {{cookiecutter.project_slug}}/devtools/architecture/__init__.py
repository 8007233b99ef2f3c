"""The layer rules that import contracts cannot say, checked by reading the code.

import-linter (``make lint``) checks who may import whom. The rules here look
inside the modules with ``ast``, without importing them:

- ``views-no-orm``, ``views-no-transaction``, ``views-no-mail``,
  ``views-no-enqueue``: views (``views.py``, ``views_<topic>.py``,
  ``admin.py``, ``api.py``) touch no ``.objects``, open no transaction, send
  no mail and queue no job;
- ``services-side-effect-on-commit``: services send mail, queue jobs and
  call other systems only from ``transaction.on_commit`` (see
  ``check_services`` for the exact rule);
- ``jobs-no-service``: jobs import no services module, of any app;
- ``permissions-no-query``: permission functions run no query;
- ``models-no-upward-import``: models import no services, selectors, forms,
  views (topic modules included, which the contracts cannot name);
- ``module-without-layer``: every module of a domain app belongs to a layer;
- ``no-config-settings-import``: code reads ``django.conf.settings``, never a
  ``config.settings`` module.

The modules, by topic: ``violations`` (``Violation`` and the code-reading
helpers every rule shares), ``discovery`` (apps, layers, modules), one
``rules_<topic>`` module per group of rules, and ``project``
(``check_project``, which runs them all). Import a name from the module that
defines it. ``devtools/tests/test_architecture.py`` runs the rules on this
project, and docs/architecture.md explains each rule id.
"""
