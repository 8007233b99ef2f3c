"""What ``manage.py addapp NAME`` does, in three steps that are tested alone.

1. ``validate_name`` refuses a name that cannot be a new top-level app.
2. ``plan_app`` renders the skeleton in ``devtools/app_template/`` and edits
   ``config/settings/base.py``, ``config/urls.py`` and ``pyproject.toml`` in
   memory; any problem stops here, before anything is written. When the
   project has the REST API (``core/api.py``), the app gets its API too
   (``api.py``, ``serializers.py``, ``urls_api.py``, ``tests/test_api.py``),
   mounted under ``api/v1/``; without it, none of these.
3. ``apply_plan`` writes it all, then lets the project's own ruff (import
   order) and black (layout) tidy the Python it wrote; on any error,
   everything is rolled back.

The skeleton works like Django's ``startapp`` templates: a path component
``app_name`` becomes the app's name, a ``-tpl`` suffix is dropped, and
``.py-tpl`` files are rendered with Django's template engine (the HTML
templates are copied as they are).
"""

import ast
import importlib.util
import keyword
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import tomlkit
from django.template import Context, Engine

TEMPLATE_DIR = Path(__file__).resolve().parent / "app_template"
MAX_NAME_LENGTH = 20
SETTINGS = "config/settings/base.py"
URLS = "config/urls.py"
PYPROJECT = "pyproject.toml"
# The project has the REST API when it has the API's shared edge.
API_MARKER = "core/api.py"
# The skeleton's files that exist only with the API.
API_SKELETON = (
    "api.py-tpl",
    "serializers.py-tpl",
    "urls_api.py-tpl",
    "test_api.py-tpl",
)


class AddAppError(Exception):
    """A refusal or a failure; the message says what and why."""


class AppNameError(AddAppError):
    def __init__(self, name: str, rule: str, reason: str) -> None:
        self.name = name
        self.rule = rule
        super().__init__(f"Cannot add app {name!r}: {reason} [rule: {rule}]")


def validate_name(name: str, *, root: Path, taken_labels: set[str]) -> None:
    """Raise ``AppNameError`` naming the broken rule, or return."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        if name.isidentifier() and name.lower() != name:
            raise AppNameError(
                name, "lowercase", "an app name is lowercase (e.g. 'billing')"
            )
        reason = (
            "an app name is a Python identifier: lowercase letters, digits and "
            "underscores, starting with a letter (e.g. 'billing', 'time_off')"
        )
        raise AppNameError(name, "identifier", reason)
    if len(name) > MAX_NAME_LENGTH:
        reason = f"an app name has at most {MAX_NAME_LENGTH} characters"
        raise AppNameError(name, "length", reason)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        reason = "it is a Python keyword, so it cannot be imported"
        raise AppNameError(name, "keyword", reason)
    for folder in (name, f"templates/{name}"):
        if (root / folder).exists():
            raise AppNameError(name, "exists", f"{folder}/ exists already")
    shadowed = None
    if name in sys.stdlib_module_names:
        shadowed = f"the standard library module {name!r}"
    elif (root / f"{name}.py").exists():
        shadowed = f"the project's module {name}.py"
    elif importlib.util.find_spec(name) is not None:
        shadowed = f"the installed module {name!r}"
    if shadowed:
        raise AppNameError(name, "shadows", f"it would shadow {shadowed}")
    if name in taken_labels:
        reason = "an installed app has this name or label already"
        raise AppNameError(name, "exists", reason)


def has_api(root: Path) -> bool:
    """Whether the project at ``root`` serves the REST API."""
    return (root / API_MARKER).is_file()


def render_files(
    name: str, context: dict[str, str], *, with_api: bool = False
) -> dict[str, str]:
    """The skeleton's files for app ``name``, by path relative to the root."""
    engine = Engine(debug=False, autoescape=False)
    files = {}
    for source in sorted(TEMPLATE_DIR.rglob("*-tpl")):
        if source.name in API_SKELETON and not with_api:
            continue
        parts = source.relative_to(TEMPLATE_DIR).parts
        target = "/".join(name if p == "app_name" else p for p in parts)
        text = source.read_text(encoding="utf-8")
        if source.name.endswith(".py-tpl"):
            text = engine.from_string(text).render(Context(context))
        files[target.removesuffix("-tpl")] = text
    return files


def insert_after(text: str, node: ast.expr, addition: str) -> str:
    """``text`` with ``addition`` right after ``node``; black lays it out."""
    lines = text.splitlines(keepends=True)
    row, column = (node.end_lineno or 1) - 1, node.end_col_offset or 0
    head = "".join(lines[:row]) + lines[row].encode()[:column].decode()
    return head + addition + text[len(head) :]


def assigned_list(text: str, variable: str, path: str) -> ast.List:
    for node in ast.parse(text).body:
        if (
            isinstance(node, ast.Assign)
            and [ast.unparse(t) for t in node.targets] == [variable]
            and isinstance(node.value, ast.List)
            and node.value.elts
        ):
            return node.value
    raise AddAppError(f"{path} has no `{variable} = [...]` list to add the app to")


def edit_settings(text: str, name: str) -> str:
    """Add the app at the end of ``LOCAL_APPS``."""
    apps = assigned_list(text, "LOCAL_APPS", SETTINGS)
    return insert_after(text, apps.elts[-1], f', "{name}"')


def _add_route(text: str, prefix: str, route: str) -> str:
    """``route`` after the last route starting with ``prefix`` (else the last)."""
    patterns = assigned_list(text, "urlpatterns", URLS)
    sources = [ast.unparse(node) for node in patterns.elts]
    alike = [i for i, source in enumerate(sources) if f"'{prefix}" in source]
    return insert_after(text, patterns.elts[alike[-1] if alike else -1], f", {route}")


def edit_urls(text: str, name: str, *, with_api: bool = False) -> str:
    """Mount the app's URLs at ``orgs/<slug:org_slug>/NAME/``, after the others,
    and with the API its API at ``api/v1/orgs/<slug:org_slug>/NAME/``."""
    org_scoped = "orgs/<slug:org_slug>/"
    route = f'path("{org_scoped}{name}/", include("{name}.urls"))'
    text = _add_route(text, org_scoped, route)
    if with_api:
        api_route = f'path("api/v1/{org_scoped}{name}/", include("{name}.urls_api"))'
        text = _add_route(text, f"api/v1/{org_scoped}", api_route)
    return text


def edit_pyproject(text: str, name: str) -> str:
    """Add the app to import-linter's packages, next to the top domain apps.

    tomlkit keeps the file's comments and layout, which ``tomllib`` cannot write.
    """
    document = tomlkit.parse(text)
    try:
        importlinter: Any = document["tool"]["importlinter"]
        graph = next(c for c in importlinter["contracts"] if c["id"] == "app-graph")
        layers = graph["layers"]
        # Next to articles and tasks: below config, and below dashboard,
        # which reads the domain apps.
        top_domain = layers.index("config") + 1
        if layers[top_domain] == "dashboard":
            top_domain += 1
        layers[top_domain] = f"{layers[top_domain]} | {name}"
        importlinter["root_packages"].append(name)
    except (IndexError, KeyError, StopIteration, ValueError):
        raise AddAppError(
            f"{PYPROJECT} has no import-linter root_packages and app-graph "
            "contract with a layer below `config` to add the app to"
        ) from None
    return tomlkit.dumps(document)


@dataclass(frozen=True)
class FileEdit:
    path: str  # relative to the project root
    before: str
    after: str
    summary: str


@dataclass(frozen=True)
class AppPlan:
    name: str
    root: Path
    files: dict[str, str]  # relative path -> content
    edits: list[FileEdit]

    def describe(self) -> str:
        lines = [f"Create the app {self.name!r}:"]
        lines += [f"  create {path}" for path in sorted(self.files)]
        lines.append("Change:")
        lines += [f"  edit   {edit.path}: {edit.summary}" for edit in self.edits]
        return "\n".join(lines)


def plan_app(
    name: str,
    *,
    root: Path,
    taken_labels: set[str],
    orgs_migration: str = "0001_initial",
) -> AppPlan:
    """Everything ``addapp`` would write, computed without writing anything."""
    validate_name(name, root=root, taken_labels=taken_labels)
    model = "".join(part.capitalize() for part in name.split("_")) + "Item"
    context = {
        "app_name": name,
        "camel_case_app_name": model.removesuffix("Item"),
        "model_name": model,
        "verbose_name": name.replace("_", " ").capitalize(),
        "orgs_migration": orgs_migration,
    }
    with_api = has_api(root)
    urls_summary = f'mount {name}.urls at "orgs/<slug:org_slug>/{name}/"'
    if with_api:
        urls_summary += f', {name}.urls_api at "api/v1/orgs/<slug:org_slug>/{name}/"'
    edits = []
    for path, edit, summary in (
        (SETTINGS, edit_settings, f'add "{name}" to LOCAL_APPS'),
        (URLS, partial(edit_urls, with_api=with_api), urls_summary),
        (PYPROJECT, edit_pyproject, f"add {name} to the import-linter contracts"),
    ):
        if not (root / path).is_file():
            raise AddAppError(f"{path} not found in {root}")
        before = (root / path).read_text(encoding="utf-8")
        edits.append(FileEdit(path, before, edit(before, name), summary))
    files = render_files(name, context, with_api=with_api)
    return AppPlan(name, root, files, edits)


def tidy_python(root: Path, paths: list[str]) -> None:
    """Sort the imports and lay the code out with the project's ruff and black."""
    for tool in (["ruff", "check", "--fix", "--select", "I"], ["black"]):
        done = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
            [sys.executable, "-m", *tool, "--quiet", *paths],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise AddAppError(f"{tool[0]} failed: {done.stdout}{done.stderr}".strip())


def apply_plan(plan: AppPlan) -> None:
    """Write the plan and tidy it: all of it, or (on any error) nothing."""
    root = plan.root
    for edit in plan.edits:
        if (root / edit.path).read_text(encoding="utf-8") != edit.before:
            raise AddAppError(f"{edit.path} changed since the plan was made: run again")
    new_folders = [
        root / folder
        for folder in (plan.name, "templates", f"templates/{plan.name}")
        if not (root / folder).exists()
    ]
    try:
        for path, text in plan.files.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
        for edit in plan.edits:
            (root / edit.path).write_text(edit.after, encoding="utf-8")
        tidy_python(root, [plan.name, SETTINGS, URLS])
    except BaseException as error:
        for edit in plan.edits:
            (root / edit.path).write_text(edit.before, encoding="utf-8")
        for folder in new_folders:
            shutil.rmtree(folder, ignore_errors=True)
        if not isinstance(error, Exception):
            raise
        raise AddAppError(
            f"adding {plan.name!r} failed and was rolled back: {error}"
        ) from error
