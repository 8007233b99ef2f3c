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
"""

import ast
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# The layers a module of a domain app may belong to; ``<layer>_<topic>.py``
# belongs to its layer.
LAYERS = (
    "models",
    "admin",
    "apps",
    "urls",
    "views",
    "forms",
    "selectors",
    "services",
    "permissions",
    "types",
    "jobs",
    "api",
)
# Packages and modules an app may hold besides its layer modules.
APP_PACKAGES = ("migrations", "tests", "management", "templatetags")
APP_EXTRA_MODULES = ("__init__", "conftest")
# Top-level packages that are not domain apps.
NOT_DOMAIN_APPS = ("config", "core")
# The views layer: the HTTP boundary (HTML views, the admin, an API).
VIEW_LAYERS = ("views", "admin", "api")
# Where ``config.settings`` may be imported: the settings themselves and
# their own tests.
SETTINGS_IMPORT_ALLOWED = ("config/settings/", "config/tests/test_settings.py")

MANAGER_ATTRIBUTES = ("objects", "_default_manager", "_base_manager")
MAIL_CALLS = (
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "send_email",
    "EmailMessage",
    "EmailMultiAlternatives",
)
# Calls that leave the process: mail, jobs, other systems.
SIDE_EFFECT_CALLS = (
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "send_email",
    "send_func",
    "urlopen",
)
SIDE_EFFECT_METHODS = ("send", "send_messages", "delay", "apply_async", "enqueue")
SIDE_EFFECT_MODULES = ("requests", "httpx")
# QuerySet and manager methods: a permission that calls one runs a query.
QUERY_METHODS = (
    "all",
    "filter",
    "exclude",
    "exists",
    "count",
    "aggregate",
    "annotate",
    "values",
    "values_list",
    "first",
    "last",
    "earliest",
    "latest",
    "select_related",
    "prefetch_related",
    "order_by",
    "in_bulk",
    "raw",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "refresh_from_db",
    "cursor",
)
# What a models module may not import (by the imported module's layer).
ABOVE_MODELS = ("services", "selectors", "forms", "views", "admin", "api", "jobs")

_MODULE_NAME = re.compile(r"^(?P<layer>[a-z]+)(?:_(?P<topic>[a-z0-9][a-z0-9_]*))?$")


@dataclass(frozen=True)
class Violation:
    """One broken rule: where, which rule, and where the code belongs."""

    path: str  # relative to the project root, POSIX
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


# Discovery ------------------------------------------------------------------


def is_package(path: Path) -> bool:
    return path.is_dir() and (path / "__init__.py").is_file()


def discover_apps(root: Path) -> list[str]:
    """The domain apps: top-level packages with an ``apps.py``, but config/core."""
    return sorted(
        path.name
        for path in root.iterdir()
        if is_package(path)
        and (path / "apps.py").is_file()
        and path.name not in NOT_DOMAIN_APPS
    )


def layer_of(module: str) -> str | None:
    """``services`` for ``services`` and ``services_email``; None: no layer."""
    match = _MODULE_NAME.match(module)
    if match is None or match["layer"] not in LAYERS:
        return None
    return match["layer"]


def app_modules(root: Path, app: str, layers: Iterable[str]) -> list[Path]:
    """The app's top-level modules of these layers, topic modules included."""
    wanted = set(layers)
    return sorted(
        path for path in (root / app).glob("*.py") if layer_of(path.stem) in wanted
    )


def project_python_files(root: Path) -> Iterator[Path]:
    """Top-level modules and every module of the project's top-level packages."""
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix == ".py":
            yield path
        elif is_package(path):
            for module in sorted(path.rglob("*.py")):
                if "__pycache__" not in module.parts:
                    yield module


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _parse(path: Path) -> ast.Module:
    stat = path.stat()
    return _parse_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _parse_cached(path: str, mtime_ns: int, size: int) -> ast.Module:
    """Parsed once per version of a file: several rules read the same module."""
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)


def _name(node: ast.expr) -> str | None:
    """``send_mail`` for ``send_mail`` and ``mail.send_mail``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _short(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _manager_accesses(tree: ast.AST) -> Iterator[ast.Attribute]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRIBUTES:
            yield node


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


# Views ----------------------------------------------------------------------


def check_views(root: Path, app: str) -> list[Violation]:
    """Views, the admin and the API touch no ORM, open no transaction, mail no one."""
    violations = []
    for path in app_modules(root, app, VIEW_LAYERS):
        rel = _relative(root, path)
        tree = _parse(path)
        for node in _manager_accesses(tree):
            violations.append(
                Violation(
                    rel,
                    node.lineno,
                    "views-no-orm",
                    f"a view touches {_short(node)}: move the query to "
                    f"{app}/selectors.py and call it from the view",
                )
            )
        for found in ast.walk(tree):
            if isinstance(found, ast.Attribute | ast.Name) and _name(found) in (
                "atomic",
                "select_for_update",
            ):
                violations.append(
                    Violation(
                        rel,
                        found.lineno,
                        "views-no-transaction",
                        f"a view opens a transaction ({_short(found)}): move the "
                        f"workflow to a @transaction.atomic function in "
                        f"{app}/services.py and call it from the view",
                    )
                )
        for call in _calls(tree):
            name = _name(call.func)
            if name in MAIL_CALLS or (
                isinstance(call.func, ast.Attribute) and name == "send"
            ):
                violations.append(
                    Violation(
                        rel,
                        call.lineno,
                        "views-no-mail",
                        f"a view sends mail ({_short(call.func)}(...)): send it "
                        f"from a service in {app}/services.py, registered with "
                        "transaction.on_commit, through core.email.send_email",
                    )
                )
    return violations


# Services -------------------------------------------------------------------


def _is_on_commit(call: ast.Call) -> bool:
    return _name(call.func) == "on_commit"


def _is_partial(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) == "partial"


def _is_side_effect(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in SIDE_EFFECT_CALLS
    if isinstance(func, ast.Attribute):
        if func.attr in SIDE_EFFECT_CALLS or func.attr in SIDE_EFFECT_METHODS:
            return True
        return isinstance(func.value, ast.Name) and (
            func.value.id in SIDE_EFFECT_MODULES
        )
    return False


@dataclass(frozen=True)
class _Function:
    module: str  # "articles.services_email"
    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef


class _ServicesIndex:
    """The app's services modules: their functions and who refers to them.

    A function is *deferred* when it is referred to at least once in the
    app's services modules and every reference is registered with
    ``transaction.on_commit``: the callback itself (``on_commit(f)``), the
    function of a ``partial`` that is the callback
    (``on_commit(partial(f, ...))``), inside a lambda that is the callback
    (``on_commit(lambda: f(...))``), or anywhere inside another deferred
    function.
    """

    def __init__(self, root: Path, app: str) -> None:
        self.root = root
        self.app = app
        self.trees: dict[Path, ast.Module] = {
            path: _parse(path) for path in app_modules(root, app, ["services"])
        }
        self.functions: dict[tuple[str, str], _Function] = {}
        # (module, function) -> its references, each as (registered with
        # on_commit?, the function it sits in as (module, name), if any)
        self.references: dict[
            tuple[str, str], list[tuple[bool, tuple[str, str | None]]]
        ] = {}
        for path, tree in self.trees.items():
            module = f"{app}.{path.stem}"
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions[(module, node.name)] = _Function(
                        module, node.name, node
                    )
        for path, tree in self.trees.items():
            self._collect_references(f"{app}.{path.stem}", tree)
        self.deferred = self._deferred()

    def _imported_names(self, tree: ast.Module) -> dict[str, tuple[str, str]]:
        """Local name -> (module, function) for ``from app.services_x import f``."""
        names: dict[str, tuple[str, str]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    names[alias.asname or alias.name] = (node.module, alias.name)
        return names

    def _collect_references(self, module: str, tree: ast.Module) -> None:
        imported = self._imported_names(tree)
        on_commit_refs: set[int] = set()  # ids of nodes registered with on_commit
        for call in _calls(tree):
            if not _is_on_commit(call) or not call.args:
                continue
            callback = call.args[0]
            if isinstance(callback, ast.Call) and _is_partial(callback):
                callback = callback.args[0] if callback.args else callback
            if isinstance(callback, ast.Lambda):
                on_commit_refs.update(id(node) for node in ast.walk(callback.body))
            elif isinstance(callback, ast.Name | ast.Attribute):
                # Not a call: on_commit(send(...)) would send right away.
                on_commit_refs.add(id(callback))

        def visit(node: ast.AST, enclosing: str | None) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    visit(child, child.name)
                    continue
                target = self._target(child, module, imported)
                if target is not None:
                    self.references.setdefault(target, []).append(
                        (id(child) in on_commit_refs, (module, enclosing))
                    )
                visit(child, enclosing)

        visit(tree, None)

    def _target(
        self, node: ast.AST, module: str, imported: dict[str, tuple[str, str]]
    ) -> tuple[str, str] | None:
        """The services function ``node`` refers to, if any."""
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            for key in ((module, node.id), imported.get(node.id)):
                if key in self.functions:
                    return key
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and imported.get(node.value.id, ("", ""))[0] == self.app
        ):
            key = (f"{self.app}.{node.value.id}", node.attr)
            if key in self.functions:
                return key
        return None

    def _deferred(self) -> set[tuple[str, str]]:
        deferred: set[tuple[str, str]] = set()
        changed = True
        while changed:
            changed = False
            for key, refs in self.references.items():
                if key in deferred:
                    continue
                if all(
                    in_on_commit or enclosing in deferred
                    for in_on_commit, enclosing in refs
                ):
                    deferred.add(key)
                    changed = True
        return deferred


def _on_commit_lambda_nodes(tree: ast.Module) -> set[int]:
    """Ids of the nodes inside lambdas registered with ``on_commit``."""
    nodes: set[int] = set()
    for call in _calls(tree):
        if _is_on_commit(call) and call.args and isinstance(call.args[0], ast.Lambda):
            nodes.update(id(node) for node in ast.walk(call.args[0].body))
    return nodes


def _eager_side_effects(
    node: ast.AST,
    module: str,
    enclosing: str | None,
    deferred: set[tuple[str, str]],
    in_lambda: set[int],
) -> Iterator[ast.Call]:
    """Side-effect calls under ``node`` that do not wait for the commit."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _eager_side_effects(
                child, module, child.name, deferred, in_lambda
            )
            continue
        if (
            isinstance(child, ast.Call)
            and _is_side_effect(child)
            and id(child) not in in_lambda
            and (enclosing is None or (module, enclosing) not in deferred)
        ):
            yield child
        yield from _eager_side_effects(child, module, enclosing, deferred, in_lambda)


def check_services(root: Path, app: str) -> list[Violation]:
    """Services mail, enqueue and call out only from ``transaction.on_commit``.

    A side-effect call (``send_email``, ``send_mail``, ``send_func(...)``,
    ``.send()``, ``.delay()``, ``.enqueue()``, ``requests.post()``...) in a
    services module passes when it sits in a lambda registered with
    ``transaction.on_commit``, or in a deferred function (see
    ``_ServicesIndex``). Anything else runs inside the transaction: a
    rolled-back workflow would already have sent the mail.
    """
    index = _ServicesIndex(root, app)
    violations = []
    for path, tree in index.trees.items():
        module = f"{app}.{path.stem}"
        in_lambda = _on_commit_lambda_nodes(tree)
        for call in _eager_side_effects(tree, module, None, index.deferred, in_lambda):
            violations.append(
                Violation(
                    _relative(root, path),
                    call.lineno,
                    "services-side-effect-on-commit",
                    f"{_short(call.func)}(...) runs inside the transaction: "
                    "register it with transaction.on_commit(partial(func, ...)) "
                    "so a rolled-back workflow sends nothing (mail helpers go "
                    f"in {app}/services_email.py, called only from on_commit)",
                )
            )
    return violations


# Permissions ----------------------------------------------------------------


def check_permissions(root: Path, app: str) -> list[Violation]:
    """Permissions are pure functions of their arguments: no query."""
    violations = []
    for path in app_modules(root, app, ["permissions"]):
        rel = _relative(root, path)
        tree = _parse(path)
        found: list[tuple[int, str]] = [
            (node.lineno, _short(node)) for node in _manager_accesses(tree)
        ]
        found += [
            (call.lineno, f"{_short(call.func)}()")
            for call in _calls(tree)
            if isinstance(call.func, ast.Attribute)
            and call.func.attr in QUERY_METHODS
            and not (
                isinstance(call.func.value, ast.Name)
                and call.func.value.id in ("self", "cls", "super")
            )
        ]
        for line, what in sorted(set(found)):
            violations.append(
                Violation(
                    rel,
                    line,
                    "permissions-no-query",
                    f"a permission runs a query ({what}): fetch what it needs "
                    f"with a selector in {app}/selectors.py, called by the view, "
                    "and pass the objects in",
                )
            )
    return violations


# Models ---------------------------------------------------------------------


def _imported_modules(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def check_models(root: Path, app: str) -> list[Violation]:
    """Models import no services, selectors, forms or views, of any app."""
    violations = []
    for path in app_modules(root, app, ["models"]):
        tree = _parse(path)
        seen: set[tuple[int, str]] = set()
        for line, module in _imported_modules(tree):
            parts = module.split(".")
            if len(parts) < 2 or parts[0] in ("django",):
                continue
            layer = layer_of(parts[1])
            if layer in ABOVE_MODELS and (line, parts[1]) not in seen:
                seen.add((line, parts[1]))
                violations.append(
                    Violation(
                        _relative(root, path),
                        line,
                        "models-no-upward-import",
                        f"a model imports {parts[0]}.{parts[1]} ({layer}): "
                        "models sit below every layer; move the code that needs "
                        f"it to {app}/services.py, or call it from there",
                    )
                )
    return violations


# Every module in a layer ----------------------------------------------------


def check_layers(root: Path, app: str) -> list[Violation]:
    """Every module of the app belongs to a layer (or an allowed package)."""
    violations = []
    folder = root / app
    hint = (
        "move its code into the layer it serves (reads: selectors.py, writes: "
        "services.py, policy: permissions.py, plain data: types.py) or name it "
        "<layer>_<topic>.py"
    )
    for path in sorted(folder.iterdir()):
        rel = _relative(root, path)
        if path.is_file() and path.suffix == ".py":
            if path.stem not in APP_EXTRA_MODULES and layer_of(path.stem) is None:
                violations.append(
                    Violation(
                        rel,
                        1,
                        "module-without-layer",
                        f"{rel} belongs to no layer: {hint} "
                        f"(e.g. {app}/services_{path.stem.strip('_')}.py)",
                    )
                )
        elif (
            path.is_dir()
            and path.name not in APP_PACKAGES
            and path.name != "__pycache__"
            and any(path.rglob("*.py"))
        ):
            violations.append(
                Violation(
                    f"{rel}/",
                    1,
                    "module-without-layer",
                    f"the package {rel}/ belongs to no layer: {hint}; an app "
                    f"holds only layer modules and {', '.join(APP_PACKAGES)}/",
                )
            )
    return violations


# Settings -------------------------------------------------------------------


def _absolute_module(path: Path, root: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = path.relative_to(root).parent.parts
    base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*base, *([node.module] if node.module else [])])


def _may_import_config(path: Path) -> bool:
    """Cheap text test, so only the few candidate modules are parsed."""
    text = path.read_text(encoding="utf-8")
    return "config" in text or "from ." in text


def check_settings_imports(root: Path) -> list[Violation]:
    """Nothing imports ``config.settings``: ``django.conf.settings`` is the way."""
    violations = []
    for path in project_python_files(root):
        rel = _relative(root, path)
        if rel.startswith(SETTINGS_IMPORT_ALLOWED) or not _may_import_config(path):
            continue
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute_module(path, root, node)
                modules = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            hits = [m for m in modules if f"{m}.".startswith("config.settings.")]
            if hits:
                violations.append(
                    Violation(
                        rel,
                        node.lineno,
                        "no-config-settings-import",
                        f"imports {hits[-1]}: read settings through "
                        "`from django.conf import settings` (settings.NAME), so "
                        "the active settings module (dev, test, prod) decides",
                    )
                )
    return violations


# All rules ------------------------------------------------------------------

APP_RULES = (check_layers, check_models, check_views, check_services, check_permissions)


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
