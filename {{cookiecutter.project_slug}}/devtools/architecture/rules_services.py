"""``services-side-effect-on-commit``: side effects wait for the commit."""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .discovery import app_modules
from .violations import Violation, calls, name_of, parse_module, relative_path, short

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
# Queueing a job; passed along uncalled, only as on_commit's callback.
ENQUEUE_METHODS = ("delay", "apply_async", "send_task", "enqueue")
SIDE_EFFECT_METHODS = ("send", "send_messages", *ENQUEUE_METHODS)
SIDE_EFFECT_MODULES = ("requests", "httpx")


def _is_on_commit(call: ast.Call) -> bool:
    return name_of(call.func) == "on_commit"


def _is_partial(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and name_of(node.func) == "partial"


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
    module: str  # "orgs.services_invites"
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
            path: parse_module(path) for path in app_modules(root, app, ["services"])
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
        # A callback that is a call, on_commit(send(...)), sends right away.
        on_commit_refs = _registered_with_on_commit(tree)

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


def _registered_with_on_commit(tree: ast.Module) -> set[int]:
    """Ids of the nodes that wait for the commit.

    The nodes inside a lambda registered with ``on_commit``, and the callback
    itself when it is a name or an attribute (``on_commit(send_x)``), or the
    function of a ``partial`` that is the callback
    (``on_commit(partial(job.delay, ...))``).
    """
    nodes: set[int] = set()
    for call in calls(tree):
        if not _is_on_commit(call) or not call.args:
            continue
        callback = call.args[0]
        if isinstance(callback, ast.Call) and _is_partial(callback) and callback.args:
            callback = callback.args[0]
        if isinstance(callback, ast.Lambda):
            nodes.update(id(node) for node in ast.walk(callback.body))
        elif isinstance(callback, ast.Name | ast.Attribute):
            nodes.add(id(callback))
    return nodes


def _eager_side_effects(
    node: ast.AST,
    module: str,
    enclosing: str | None,
    deferred: set[tuple[str, str]],
    waiting: set[int],
    called: set[int],
) -> Iterator[ast.Call | ast.Attribute]:
    """Side effects under ``node`` that do not wait for the commit.

    Side-effect calls, and a job's ``.delay`` (``.apply_async``, ...) passed
    along uncalled anywhere but as ``on_commit``'s callback.
    """
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _eager_side_effects(
                child, module, child.name, deferred, waiting, called
            )
            continue
        if (
            (
                (isinstance(child, ast.Call) and _is_side_effect(child))
                or (
                    isinstance(child, ast.Attribute)
                    and child.attr in ENQUEUE_METHODS
                    and id(child) not in called
                )
            )
            and id(child) not in waiting
            and (enclosing is None or (module, enclosing) not in deferred)
        ):
            yield child
        yield from _eager_side_effects(
            child, module, enclosing, deferred, waiting, called
        )


def _where_it_belongs(found: ast.Call | ast.Attribute, app: str) -> str:
    if isinstance(found, ast.Attribute):
        return (
            f"{short(found)} is passed along outside transaction.on_commit: queue "
            f"the job with transaction.on_commit(partial({short(found)}, ...)), "
            "inline, so a rolled-back workflow queues nothing"
        )
    what = f"{short(found.func)}(...) runs inside the transaction"
    if name_of(found.func) in ENQUEUE_METHODS:
        return (
            f"{what}: queue the job with transaction.on_commit(partial("
            f"{short(found.func)}, ...)), so a rolled-back workflow queues nothing"
        )
    return (
        f"{what}: do it in a job in {app}/jobs.py, queued with "
        "transaction.on_commit(partial(job.delay, ...)), so a rolled-back "
        "workflow sends nothing"
    )


def check_services(root: Path, app: str) -> list[Violation]:
    """Services mail, enqueue and call out only from ``transaction.on_commit``.

    A side-effect call (``send_email``, ``send_mail``, ``send_func(...)``,
    ``.send()``, ``.delay()``, ``.apply_async()``, ``requests.post()``...) in
    a services module passes when it sits in a lambda registered with
    ``transaction.on_commit``, or in a deferred function (see
    ``_ServicesIndex``); a job's ``.delay`` passed along uncalled passes only
    as the callback, ``on_commit(partial(job.delay, ...))``. Anything else
    runs inside the transaction: a rolled-back workflow would already have
    sent the mail or queued the job.
    """
    index = _ServicesIndex(root, app)
    violations = []
    for path, tree in index.trees.items():
        module = f"{app}.{path.stem}"
        waiting = _registered_with_on_commit(tree)
        called = {id(call.func) for call in calls(tree)}
        for found in _eager_side_effects(
            tree, module, None, index.deferred, waiting, called
        ):
            violations.append(
                Violation(
                    relative_path(root, path),
                    found.lineno,
                    "services-side-effect-on-commit",
                    _where_it_belongs(found, app),
                )
            )
    return violations
