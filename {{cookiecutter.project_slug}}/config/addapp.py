"""What ``manage.py addapp NAME`` does, in small steps that are tested alone.

1. ``validate_name``: refuse a name that is not a lowercase identifier, is
   too long, is a Python keyword, exists already, or shadows a module.
2. ``plan_app``: render the skeleton in ``config/app_template/`` and compute
   the edits of ``config/settings/base.py``, ``config/urls.py`` and
   ``pyproject.toml``, all in memory; any problem stops here, nothing written.
3. ``apply_plan``: write the files into a temporary folder and move them in,
   then write the edited files; if anything fails, everything is rolled back.

The skeleton works like Django's ``startapp`` templates: a path component
``app_name`` becomes the app's name, a ``-tpl`` suffix is dropped, and
``.py-tpl`` files are rendered with Django's template engine (other files,
such as the HTML templates, are copied as they are).
"""

import ast
import copy
import importlib.util
import keyword
import os
import re
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template import Context, Engine

TEMPLATE_DIR = Path(__file__).resolve().parent / "app_template"
MAX_NAME_LENGTH = 20
LINE_LENGTH = 88  # black's, in pyproject.toml
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_IMPORT_LINE = re.compile(r"^(from \S+ import |import )")


class AddAppError(Exception):
    """A refusal or a failure; the message says what and why."""


class AppNameError(AddAppError):
    def __init__(self, name: str, rule: str, reason: str) -> None:
        self.name = name
        self.rule = rule
        super().__init__(f"Cannot add app {name!r}: {reason} [rule: {rule}]")


# 1. The name ---------------------------------------------------------------


def validate_name(name: str, *, root: Path, taken_labels: Iterable[str] = ()) -> None:
    """Raise ``AppNameError`` naming the broken rule, or return."""
    if not _IDENTIFIER.match(name) or not name.isidentifier():
        if name.isidentifier() and name.lower() != name:
            reason = "an app name is lowercase (e.g. 'billing')"
            raise AppNameError(name, "lowercase", reason)
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
    for existing in (root / name, root / "templates" / name):
        if existing.exists():
            rel = existing.relative_to(root).as_posix()
            raise AppNameError(name, "exists", f"{rel}/ exists already")
    shadowed = shadowed_module(name, root=root)
    if shadowed:
        raise AppNameError(name, "shadows", f"it would shadow {shadowed}")
    if name in set(taken_labels):
        reason = "an installed app has this name or label already"
        raise AppNameError(name, "exists", reason)


def shadowed_module(name: str, *, root: Path) -> str | None:
    """What a top-level package ``name`` would hide, or None."""
    if name in sys.stdlib_module_names:
        return f"the standard library module {name!r}"
    if name == "django":
        return "Django itself"
    if (root / f"{name}.py").exists():
        return f"the project's module {name}.py"
    if importlib.util.find_spec(name) is not None:
        return f"the installed module {name!r}"
    return None


# 2. The plan ---------------------------------------------------------------


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
    edits: list[FileEdit] = field(default_factory=list)

    @property
    def top_level(self) -> list[str]:
        """The new folders: moved into place whole."""
        return [self.name, f"templates/{self.name}"]

    def describe(self) -> str:
        lines = [f"Create the app {self.name!r}:"]
        lines += [f"  create {path}" for path in sorted(self.files)]
        lines.append("Change:")
        lines += [f"  edit   {edit.path}: {edit.summary}" for edit in self.edits]
        return "\n".join(lines)


def camel_case(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def template_context(name: str, *, orgs_migration: str) -> dict[str, str]:
    camel = camel_case(name)
    return {
        "app_name": name,
        "camel_case_app_name": camel,
        "model_name": f"{camel}Item",
        "model_name_lower": f"{camel}Item".lower(),
        "verbose_name": name.replace("_", " ").capitalize(),
        "orgs_migration": orgs_migration,
    }


def _import_key(statement: list[str]) -> tuple[int, str]:
    words = statement[0].split()
    return (0 if words[0] == "import" else 1, words[1].lower())


def sort_import_blocks(source: str) -> str:
    """Sort each run of top-level imports by module, as ruff's isort does.

    The skeleton's imports of the new app sit wherever its name sorts among
    ``core``, ``orgs`` and ``users``, which depends on the name. A run ends
    at a blank line; a parenthesised import is one statement.
    """
    out: list[str] = []
    block: list[list[str]] = []
    statement: list[str] | None = None
    for line in [*source.split("\n"), ""]:
        if statement is not None:
            statement.append(line)
            if line.startswith(")"):
                block.append(statement)
                statement = None
            continue
        if _IMPORT_LINE.match(line):
            if line.endswith("("):
                statement = [line]
            else:
                block.append([line])
            continue
        for item in sorted(block, key=_import_key):
            out += item
        block = []
        out.append(line)
    return "\n".join(out[:-1])


def render_files(
    name: str,
    context: Mapping[str, Any],
    template_dir: Path = TEMPLATE_DIR,
) -> dict[str, str]:
    """The skeleton's files for app ``name``, by path relative to the root."""
    engine = Engine(debug=False, autoescape=False)
    files: dict[str, str] = {}
    for source in sorted(template_dir.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        parts = [
            name if part == "app_name" else part
            for part in source.relative_to(template_dir).parts
        ]
        target = "/".join(parts).removesuffix("-tpl")
        text = source.read_text(encoding="utf-8")
        if source.name.endswith(".py-tpl"):
            text = engine.from_string(text).render(Context(dict(context)))
            text = sort_import_blocks(text)
        files[target] = text
    return files


def edit_settings(text: str, name: str) -> str:
    """Add ``name`` at the end of ``LOCAL_APPS`` in ``config/settings/base.py``."""
    match = re.search(r"^LOCAL_APPS = \[\n(?P<body>(?:.*\n)*?)\]", text, re.M)
    if match is None:
        raise AddAppError(
            "config/settings/base.py has no `LOCAL_APPS = [` ... `]` list: "
            f'add "{name}" to INSTALLED_APPS yourself'
        )
    after = text[: match.end("body")] + f'    "{name}",\n' + text[match.end("body") :]
    if _assigned_list(after, "LOCAL_APPS") != [
        *_assigned_list(text, "LOCAL_APPS"),
        name,
    ]:
        raise AddAppError("could not add the app to LOCAL_APPS safely")
    return after


def _assigned_list(source: str, variable: str) -> list[Any]:
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == variable
        ):
            value = ast.literal_eval(node.value)
            return list(value)
    return []


def edit_urls(text: str, name: str) -> str:
    """Mount the app's URLs under ``orgs/<slug:org_slug>/NAME/``."""
    route = f'path("orgs/<slug:org_slug>/{name}/", include("{name}.urls")),'
    lines = text.split("\n")
    org_scoped = [
        i for i, line in enumerate(lines) if 'path("orgs/<slug:org_slug>/' in line
    ]
    orgs = [i for i, line in enumerate(lines) if 'path("orgs/",' in line]
    if org_scoped:
        index = org_scoped[-1] + 1
        indent = lines[org_scoped[-1]][: -len(lines[org_scoped[-1]].lstrip())]
    elif orgs:
        index = orgs[0]
        indent = lines[orgs[0]][: -len(lines[orgs[0]].lstrip())]
    else:
        raise AddAppError(
            "config/urls.py has no org-scoped path to put the app next to: add "
            f"`{route}` to urlpatterns yourself"
        )
    new_lines = [indent + route]
    if len(new_lines[0]) > LINE_LENGTH:  # as black would split it
        new_lines = [
            f"{indent}path(",
            f'{indent}    "orgs/<slug:org_slug>/{name}/",',
            f'{indent}    include("{name}.urls"),',
            f"{indent}),",
        ]
    after = "\n".join([*lines[:index], *new_lines, *lines[index:]])
    ast.parse(after)
    return after


def _toml_list_span(text: str, key: str, start: int = 0) -> tuple[int, int]:
    """The span of the ``[...]`` value of the first ``key = [`` after ``start``."""
    match = re.compile(rf"^{re.escape(key)} = \[", re.M).search(text, start)
    if match is None:
        raise AddAppError(f"pyproject.toml has no `{key} = [...]` to add the app to")
    end = text.index("]", match.end())
    return match.end() - 1, end + 1


def _append_to_toml_list(text: str, key: str, value: str, start: int = 0) -> str:
    begin, end = _toml_list_span(text, key, start)
    body = text[begin + 1 : end - 1]
    item = f'"{value}"'
    if "\n" in body:  # one item a line
        indent = re.search(r"\n(\s*)\S", body)
        pad = indent.group(1) if indent else "    "
        new_body = body.rstrip().rstrip(",") + f",\n{pad}{item},\n"
    else:
        new_body = f"{body}, {item}" if body.strip() else item
    return text[: begin + 1] + new_body + text[end - 1 :]


def _contract_start(text: str, contract_id: str) -> int:
    match = re.search(rf'^id = "{re.escape(contract_id)}"', text, re.M)
    if match is None:
        raise AddAppError(
            f"pyproject.toml has no import-linter contract {contract_id!r}"
        )
    return match.start()


def edit_pyproject(text: str, name: str) -> str:
    """Add the app to import-linter's contracts and ruff's first-party list.

    Text edits, so comments and layout stay; the result is parsed again and
    must differ from the original in exactly these places.
    """
    data = tomllib.loads(text)
    expected = copy.deepcopy(data)
    importlinter = expected["tool"]["importlinter"]
    importlinter["root_packages"].append(name)
    contracts = {contract.get("id"): contract for contract in importlinter["contracts"]}
    try:
        graph_layers = contracts["app-graph"]["layers"]
        contracts["app-layers"]["containers"].append(name)
    except KeyError as error:
        raise AddAppError(
            f"pyproject.toml: import-linter contract {error} not found"
        ) from None
    sibling = next(
        (
            i
            for i, layer in enumerate(graph_layers)
            if {"articles", "tasks"} & set(layer.replace("|", " ").split())
        ),
        1 if graph_layers[:1] == ["config"] else 0,
    )
    old_layer = graph_layers[sibling]
    graph_layers[sibling] = f"{old_layer} | {name}"
    expected["tool"]["ruff"]["lint"]["isort"]["known-first-party"].append(name)

    after = _append_to_toml_list(text, "root_packages", name)
    after = _append_to_toml_list(after, "known-first-party", name)
    after = _append_to_toml_list(
        after, "containers", name, _contract_start(after, "app-layers")
    )
    begin, end = _toml_list_span(after, "layers", _contract_start(after, "app-graph"))
    old_literal, new_literal = f'"{old_layer}"', f'"{old_layer} | {name}"'
    if old_literal not in after[begin:end]:
        raise AddAppError(
            f"pyproject.toml: cannot find the app-graph layer {old_literal}"
        )
    after = (
        after[:begin]
        + after[begin:end].replace(old_literal, new_literal, 1)
        + after[end:]
    )

    try:
        parsed = tomllib.loads(after)
    except tomllib.TOMLDecodeError as error:
        raise AddAppError(f"editing pyproject.toml would break it: {error}") from None
    if parsed != expected:
        raise AddAppError("could not edit pyproject.toml safely: add the app by hand")
    return after


def plan_app(
    name: str,
    *,
    root: Path,
    taken_labels: Iterable[str] = (),
    orgs_migration: str = "0001_initial",
    template_dir: Path = TEMPLATE_DIR,
) -> AppPlan:
    """Everything ``addapp`` would write, computed without writing anything."""
    validate_name(name, root=root, taken_labels=taken_labels)
    context = template_context(name, orgs_migration=orgs_migration)
    files = render_files(name, context, template_dir)
    edits = []
    for rel, editor, summary in (
        ("config/settings/base.py", edit_settings, f'add "{name}" to LOCAL_APPS'),
        (
            "config/urls.py",
            edit_urls,
            f'mount {name}.urls at "orgs/<slug:org_slug>/{name}/"',
        ),
        (
            "pyproject.toml",
            edit_pyproject,
            f"add {name} to the import-linter contracts and ruff's known-first-party",
        ),
    ):
        path = root / rel
        if not path.is_file():
            raise AddAppError(f"{rel} not found in {root}")
        before = path.read_text(encoding="utf-8")
        edits.append(FileEdit(rel, before, editor(before, name), summary))
    return AppPlan(name=name, root=root, files=files, edits=edits)


# 3. Writing ----------------------------------------------------------------


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_plan(plan: AppPlan) -> None:
    """Write the plan: all of it, or (on any error) nothing."""
    root = plan.root
    for edit in plan.edits:
        if (root / edit.path).read_text(encoding="utf-8") != edit.before:
            raise AddAppError(f"{edit.path} changed since the plan was made: run again")
    staging = Path(tempfile.mkdtemp(prefix=f".addapp-{plan.name}-", dir=root))
    moved: list[Path] = []
    written: list[FileEdit] = []
    created_templates_dir = False
    try:
        for rel, text in plan.files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if not (root / "templates").exists():
            (root / "templates").mkdir()
            created_templates_dir = True
        for rel in plan.top_level:
            if not (staging / rel).exists():
                continue
            if (root / rel).exists():
                raise AddAppError(f"{rel}/ appeared while adding the app")
            os.replace(staging / rel, root / rel)
            moved.append(root / rel)
        for edit in plan.edits:
            _write_atomically(root / edit.path, edit.after)
            written.append(edit)
    except BaseException as error:
        for edit in written:
            _write_atomically(root / edit.path, edit.before)
        for path in moved:
            shutil.rmtree(path, ignore_errors=True)
        if created_templates_dir:
            shutil.rmtree(root / "templates", ignore_errors=True)
        if isinstance(error, AddAppError):
            raise
        raise AddAppError(
            f"adding {plan.name!r} failed and was rolled back: {error}"
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
