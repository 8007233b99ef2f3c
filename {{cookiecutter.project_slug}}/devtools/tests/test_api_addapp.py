"""``manage.py addapp`` in a project with the REST API: the app gets its API too."""

import io
import shutil

import pytest
from django.core.management import call_command

from devtools import addapp
from devtools.addapp import apply_plan, plan_app
from devtools.tests.test_addapp import EDITED, NAME, PROJECT_ROOT

API_FILES = {
    f"{NAME}/{module}"
    for module in ("api.py", "serializers.py", "urls_api.py", "tests/test_api.py")
}
API_PREFIX = f'"api/v1/orgs/<slug:org_slug>/{NAME}/"'


@pytest.fixture
def api_project(tmp_path):
    """The files addapp edits, and the API's edge that tells it the API is there."""
    for rel in (*EDITED, addapp.API_MARKER):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / rel, tmp_path / rel)
    return tmp_path


def test_this_project_has_the_api():
    assert addapp.has_api(PROJECT_ROOT)


def test_the_plan_adds_the_api_modules_and_mounts_them_after_the_others(api_project):
    plan = plan_app(NAME, root=api_project, taken_labels=set())

    assert set(plan.files) >= API_FILES
    urls = next(edit.after for edit in plan.edits if edit.path == "config/urls.py")
    route = f'path({API_PREFIX}, include("{NAME}.urls_api"))'
    assert route in urls
    assert urls.index('include("tasks.urls_api")') < urls.index(route)
    assert f'path("orgs/<slug:org_slug>/{NAME}/", include("{NAME}.urls"))' in urls


def test_apply_writes_the_api_and_wires_it(api_project):
    apply_plan(plan_app(NAME, root=api_project, taken_labels=set()))

    for path in API_FILES:
        assert (api_project / path).is_file(), path
    urls = (api_project / "config/urls.py").read_text(encoding="utf-8")
    assert API_PREFIX in urls
    assert f'include("{NAME}.urls_api")' in urls
    api_module = (api_project / NAME / "api.py").read_text(encoding="utf-8")
    assert f"from {NAME}.services import create_item" in api_module


def test_dry_run_lists_the_api_modules():
    out = io.StringIO()

    call_command("addapp", NAME, "--dry-run", stdout=out)

    for path in sorted(API_FILES):
        assert f"create {path}" in out.getvalue()
    assert f"{NAME}.urls_api at {API_PREFIX}" in out.getvalue()
