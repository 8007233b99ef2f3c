"""``manage.py addapp``: names it refuses, what it plans, all or nothing.

The full run (add an app, then ``make check``) is slow, so it is left to the
tests of the project's template; these stay on paper or in ``tmp_path``.
"""

import ast
import hashlib
import io
import shutil
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from devtools import addapp
from devtools.addapp import AddAppError, AppNameError, apply_plan, plan_app

PROJECT_ROOT = Path(settings.BASE_DIR)
EDITED = ("config/settings/base.py", "config/urls.py", "pyproject.toml")
# An app name no project is expected to have: these tests must keep passing
# after `addapp billing`.
NAME = "addapp_example"
MODEL = "AddappExampleItem"
UNRENDERED = ("{" + "{", "{" + "%")  # template tags left in a rendered file


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("Billing", "lowercase"),
        ("1abc", "identifier"),
        ("bill-ing", "identifier"),
        ("_billing", "identifier"),
        ("billing\n", "identifier"),
        ("a" * 21, "length"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("orgs", "exists"),
        ("auth", "exists"),
        ("json", "shadows"),
        ("django", "shadows"),
        ("pytest", "shadows"),
        ("manage", "shadows"),
    ],
)
def test_bad_names_are_refused_with_the_rule(name, rule):
    with pytest.raises(AppNameError) as caught:
        addapp.validate_name(name, root=PROJECT_ROOT, taken_labels={"auth", "django"})

    assert caught.value.rule == rule
    assert repr(name) in str(caught.value)
    assert f"[rule: {rule}]" in str(caught.value)


def test_the_command_refuses_a_bad_name_with_a_command_error():
    with pytest.raises(CommandError, match=r"'json'.*\[rule: shadows\]"):
        call_command("addapp", "json", stdout=io.StringIO())


def test_dry_run_lists_the_plan_and_writes_nothing():
    out = io.StringIO()

    call_command("addapp", NAME, "--dry-run", stdout=out)

    text = out.getvalue()
    for line in (
        f"create {NAME}/models.py",
        f"create {NAME}/migrations/0001_initial.py",
        f"create {NAME}/tests/test_views.py",
        f"create templates/{NAME}/list.html",
        "edit   config/settings/base.py",
        "edit   config/urls.py",
        "edit   pyproject.toml",
        "nothing was written",
    ):
        assert line in text
    assert not (PROJECT_ROOT / NAME).exists()
    assert not (PROJECT_ROOT / "templates" / NAME).exists()


def test_every_layer_module_is_rendered_with_a_docstring():
    plan = plan_app(NAME, root=PROJECT_ROOT, taken_labels=set())

    layers = {"apps", "models", "admin", "urls", "views", "forms", "selectors"}
    layers |= {"services", "permissions", "types"}
    rendered = {path.removeprefix(f"{NAME}/") for path in plan.files}
    assert {f"{layer}.py" for layer in layers} <= rendered
    for path, text in plan.files.items():
        if path.endswith(".py"):
            tree = ast.parse(text, filename=path)
            if text.strip() and not path.endswith("tests/__init__.py"):
                assert ast.get_docstring(tree), f"{path} has no docstring"
            assert not any(tag in text for tag in UNRENDERED), path
    assert f"class {MODEL}(TimeStampedModel):" in plan.files[f"{NAME}/models.py"]


def test_the_edits_add_the_app_to_settings_urls_and_contracts():
    plan = plan_app(NAME, root=PROJECT_ROOT, taken_labels=set())
    after = {edit.path: edit.after for edit in plan.edits}

    assert f', "{NAME}",\n]' in after["config/settings/base.py"]
    assert (
        f'path("orgs/<slug:org_slug>/{NAME}/", include("{NAME}.urls"))'
        in after["config/urls.py"]
    )
    importlinter = tomllib.loads(after["pyproject.toml"])["tool"]["importlinter"]
    assert importlinter["root_packages"][-1] == NAME
    graph = next(c for c in importlinter["contracts"] if c["id"] == "app-graph")
    assert graph["layers"][:3] == ["devtools", "config", "dashboard"]
    assert graph["layers"][3].startswith("articles | tasks")
    assert graph["layers"][3].endswith(f" | {NAME}")


def test_the_pyproject_edit_keeps_comments_and_layout():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")

    after = addapp.edit_pyproject(text, NAME)

    changed = [
        (old, new)
        for old, new in zip(text.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert len(changed) == 2, changed
    assert all(NAME in new and NAME not in old for old, new in changed)


@pytest.fixture
def project_copy(tmp_path):
    """The files addapp edits, in a folder of their own."""
    for rel in EDITED:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / rel, tmp_path / rel)
    return tmp_path


def digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_apply_writes_the_app_and_lets_ruff_and_black_tidy_it(project_copy):
    plan = plan_app(NAME, root=project_copy, taken_labels=set())

    apply_plan(plan)

    assert (project_copy / NAME / "services.py").is_file()
    assert (project_copy / "templates" / NAME / "form.html").is_file()
    settings_text = (project_copy / "config/settings/base.py").read_text()
    assert f'\n    "{NAME}",\n]' in settings_text
    urls = (project_copy / "config/urls.py").read_text()
    assert (
        f'\n    path("orgs/<slug:org_slug>/{NAME}/", include("{NAME}.urls")),\n' in urls
    )
    pyproject = (project_copy / "pyproject.toml").read_text()
    assert pyproject == plan.edits[-1].after


def api_files(plan: addapp.AppPlan) -> list[str]:
    names = {name.removesuffix("-tpl") for name in addapp.API_SKELETON}
    return [path for path in plan.files if path.rsplit("/", 1)[-1] in names]


def test_without_the_api_the_app_gets_none_of_it(project_copy):
    assert not addapp.has_api(project_copy)  # no core/api.py

    plan = plan_app(NAME, root=project_copy, taken_labels=set())

    assert not api_files(plan)
    urls = next(edit.after for edit in plan.edits if edit.path == "config/urls.py")
    assert f"{NAME}.urls_api" not in urls


def test_this_projects_new_apps_get_the_api_exactly_when_it_has_it():
    plan = plan_app(NAME, root=PROJECT_ROOT, taken_labels=set())

    assert len(api_files(plan)) == (4 if addapp.has_api(PROJECT_ROOT) else 0)


def test_a_failure_rolls_everything_back(project_copy, monkeypatch):
    before = digest(project_copy)
    plan = plan_app(NAME, root=project_copy, taken_labels=set())

    def fail(root: Path, paths: list[str]) -> None:
        assert (root / NAME / "models.py").is_file()  # written by then
        raise OSError("disk full")

    monkeypatch.setattr(addapp, "tidy_python", fail)

    with pytest.raises(AddAppError, match="rolled back: disk full"):
        apply_plan(plan)

    assert digest(project_copy) == before


def test_an_uneditable_file_stops_the_plan_before_anything_is_written(project_copy):
    settings_file = project_copy / "config" / "settings" / "base.py"
    settings_file.write_text("INSTALLED_APPS = []\n")
    before = digest(project_copy)

    with pytest.raises(AddAppError, match="LOCAL_APPS"):
        plan_app(NAME, root=project_copy, taken_labels=set())

    assert digest(project_copy) == before
