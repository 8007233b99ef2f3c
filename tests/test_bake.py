"""Baking the template: what lands on disk."""

from __future__ import annotations

import ast
import difflib
import py_compile
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import DEFAULT_SLUG, bake_default
from template_source import TEMPLATE_DIR

EXPECTED_FILES = Path(__file__).with_name("expected_files.txt")

# Django templates legitimately use {{ }} and {% %}; they are copied raw.
DJANGO_TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}
# A GitHub Actions expression, ${{ ... }}, is legitimate in a workflow file.
ACTIONS_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")


def project_files(project: Path) -> list[Path]:
    return sorted(path for path in project.rglob("*") if path.is_file())


def relative(project: Path, path: Path) -> str:
    return path.relative_to(project).as_posix()


# The skeleton of `manage.py addapp`: Django templates (startapp-style .py-tpl
# files and HTML pages), copied raw and rendered by Django when an app is added.
APP_TEMPLATE_DIR = "devtools/app_template/"


def is_django_template(rel: str) -> bool:
    if rel.startswith(APP_TEMPLATE_DIR):
        return True
    parts = rel.split("/")
    return "templates" in parts[:-1] and Path(rel).suffix in DJANGO_TEMPLATE_SUFFIXES


def test_default_bake_succeeds(baked_default):
    assert baked_default.name == DEFAULT_SLUG
    assert (baked_default / "manage.py").is_file()
    assert (baked_default / "pyproject.toml").is_file()


def test_no_file_mentions_cookiecutter(baked_default):
    offenders = []
    for path in project_files(baked_default):
        for number, line in enumerate(path.read_bytes().splitlines(), 1):
            if b"cookiecutter" in line.lower():
                rel = relative(baked_default, path)
                offenders.append(f"{rel}:{number}: {line.decode(errors='replace')}")
    assert not offenders, "\n".join(offenders)


def test_no_unrendered_jinja_outside_django_templates(baked_default):
    offenders = []
    for path in project_files(baked_default):
        rel = relative(baked_default, path)
        if is_django_template(rel):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if rel.startswith(".github/"):
                line = ACTIONS_EXPRESSION.sub("", line)
            if "{{" in line or "{%" in line:
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "unrendered Jinja:\n" + "\n".join(offenders)


def test_baked_files_are_the_expected_ones(baked_default):
    actual = [relative(baked_default, path) for path in project_files(baked_default)]
    expected = [
        line.strip()
        for line in EXPECTED_FILES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected,
                actual,
                fromfile="tests/expected_files.txt",
                tofile="baked project",
                lineterm="",
            )
        )
        pytest.fail(
            "the baked files differ from tests/expected_files.txt "
            "(if the change is intended, run "
            "`.venv/bin/python scripts/update_expected_files.py`):\n" + diff,
            pytrace=False,
        )


def python_modules(project: Path) -> list[tuple[str, ast.Module]]:
    """Every Python module of the project, parsed, by relative path."""
    return [
        (relative(project, path), ast.parse(path.read_text("utf-8")))
        for path in project_files(project)
        if path.suffix == ".py"
    ]


def test_config_holds_only_what_configures_the_running_site(baked_default):
    config = baked_default / "config"

    assert sorted(path.name for path in config.iterdir()) == [
        "__init__.py",
        "asgi.py",
        "celery.py",  # the job queue's app object
        "settings",
        "urls.py",
        "wsgi.py",
    ]
    assert sorted(path.name for path in (config / "settings").iterdir()) == [
        "__init__.py",
        "base.py",
        "dev.py",
        "prod.py",
        "test.py",
    ]


def test_only_the_dev_and_test_settings_install_the_development_tools(
    baked_default,
):
    settings = baked_default / "config" / "settings"
    installing = sorted(
        path.stem
        for path in settings.glob("*.py")
        if '"devtools"' in path.read_text("utf-8")
    )

    assert installing == ["dev", "test"]
    prod = ast.parse((settings / "prod.py").read_text("utf-8"))
    imported = {
        node.module for node in ast.walk(prod) if isinstance(node, ast.ImportFrom)
    }
    assert imported <= {"base"}, "prod.py imports settings other than base"


def test_no_all_exports_a_private_name(baked_default):
    offenders = [
        f"{path}: {name}"
        for path, tree in python_modules(baked_default)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(target, "id", None) == "__all__" for target in node.targets)
        for name in ast.literal_eval(node.value)
        if name.startswith("_")
    ]

    assert not offenders, offenders


def parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return {node.arg for node in ast.walk(function.args) if isinstance(node, ast.arg)}


def test_services_take_no_send_func_and_no_app_seeds_demo_data(baked_default):
    services = [
        (path, tree)
        for path, tree in python_modules(baked_default)
        if re.fullmatch(r"[a-z_]+/services(_[a-z0-9_]+)?\.py", path)
    ]
    assert services, "no services module found"
    assert not [path for path, _ in services if path.endswith("/services_demo.py")]
    offenders = [
        f"{path}: {node.name}()"
        for path, tree in services
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and "send_func" in parameters(node)
    ]

    assert not offenders, offenders


def test_python_and_toml_files_are_valid(baked_default, tmp_path):
    for path in project_files(baked_default):
        if path.suffix == ".py":
            py_compile.compile(str(path), cfile=str(tmp_path / "x.pyc"), doraise=True)
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))


def test_non_ascii_project_name_gets_a_valid_slug(cookies):
    project = bake_default(cookies, project_name="Café Ünïcode Times")

    assert project.name == "cafe_unicode_times"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["name"] == "cafe_unicode_times"


def test_quotes_and_backslashes_in_answers_bake_valid_files(cookies, tmp_path):
    name = 'The "Daily" O\'Brien \\ Times'
    description = "Say \"hello\" \\ and 'goodbye'"
    author = 'Ann "Nan" O\'Neil \\'
    project = bake_default(
        cookies,
        project_name=name,
        project_slug="daily_times",
        description=description,
        author_name=author,
    )

    pyproject = tomllib.loads((project / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"][0]["name"] == author
    for path in project_files(project):
        if path.suffix == ".py":
            py_compile.compile(str(path), cfile=str(tmp_path / "x.pyc"), doraise=True)


def test_cli_bake_prints_next_steps_about_the_project_only(cookiecutter_cli):
    proc = cookiecutter_cli()

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (proc.out_dir / DEFAULT_SLUG / "manage.py").is_file()
    steps = [
        f"cd {DEFAULT_SLUG}",
        "python3 -m venv .venv",
        "source .venv/bin/activate",
        "make install",
        "python manage.py migrate",
        "python manage.py seed_demo",
        "make run",
        "make check",
    ]
    positions = [proc.stdout.find(step) for step in steps]
    assert all(position >= 0 for position in positions), proc.stdout
    assert positions == sorted(positions), "steps out of order:\n" + proc.stdout
    assert DEFAULT_SLUG in proc.stdout
    assert "cookiecutter" not in proc.stdout.lower()
    assert "template" not in proc.stdout.lower()


def test_workflow_passes_actionlint(baked_default):
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    actionlint = actionlint or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: run `make test` to install it"
    workflows = sorted((baked_default / ".github" / "workflows").glob("*.y*ml"))
    assert [path.name for path in workflows] == ["ci.yml"]

    proc = subprocess.run(
        [actionlint, "-no-color", *map(str, workflows)],
        capture_output=True,
        text=True,
        cwd=baked_default,
        timeout=120,
        check=False,
    )

    if proc.returncode != 0:
        pytest.fail(f"actionlint:\n{proc.stdout}{proc.stderr}", pytrace=False)


def _workflow_jobs(project: Path) -> dict:
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(
        (project / ".github" / "workflows" / "ci.yml").read_text("utf-8")
    )
    assert set(workflow["jobs"]) == {"check", "supply-chain", "image"}, list(
        workflow["jobs"]
    )
    return workflow["jobs"]


def _workflow_job(project: Path) -> dict:
    """The workflow's checking job (a matrix over the supported lines)."""
    return _workflow_jobs(project)["check"]


def test_workflow_builds_the_image_and_starts_it(baked_default):
    """The image job builds the Dockerfile, starts compose.yaml, asks /readyz."""
    runs = [
        step["run"].strip()
        for step in _workflow_jobs(baked_default)["image"]["steps"]
        if "run" in step
    ]
    assert runs[0].startswith("docker build "), runs
    assert "docker compose up --detach --no-build" in runs, runs
    assert any("http://127.0.0.1:8000/readyz" in run for run in runs), runs


def test_workflow_audits_the_dependencies_and_keeps_an_sbom(baked_default):
    """pip-audit and the CycloneDX SBOM (make audit), the SBOM kept as an artifact."""
    steps = _workflow_jobs(baked_default)["supply-chain"]["steps"]
    runs = [step["run"].strip() for step in steps if "run" in step]
    assert runs == ["make install", "make audit"], runs
    uploads = [step for step in steps if "upload-artifact" in step.get("uses", "")]
    assert [step["with"]["path"] for step in uploads] == ["sbom.cdx.json"]
    makefile = (baked_default / "Makefile").read_text("utf-8")
    assert "pip_audit" in makefile
    assert "cyclonedx_py environment" in makefile


BROWSER_INSTALL = "python -m playwright install --with-deps chromium"


def test_workflow_runs_make_check_and_nothing_else(baked_default):
    runs = [
        step["run"].strip()
        for step in _workflow_job(baked_default)["steps"]
        if "run" in step
    ]
    assert runs, "the workflow runs nothing"
    assert runs[-1] == "make check", runs
    setup = runs[:-1]
    assert "make install" in setup, runs
    # The browser tests' Chromium, which make install cannot bring.
    assert BROWSER_INSTALL in setup, runs
    assert all(
        run in ("make install", BROWSER_INSTALL)
        or run.startswith("python -m pip install ")
        for run in setup
    ), runs


def test_workflow_matrix_is_the_tested_lines(baked_default):
    """CI checks the Python and Django lines that the template's tests check."""
    from baked_env import DJANGO_PINS

    job = _workflow_job(baked_default)
    entries = job["strategy"]["matrix"]["include"]
    assert {(entry["python"], entry["django"]) for entry in entries} == {
        (f"{major}.{minor}", pin) for (major, minor), pin in DJANGO_PINS.items()
    }
    installs = [step for step in job["steps"] if "pip install" in step.get("run", "")]
    assert [step["env"] for step in installs] == [{"DJANGO": "${{ matrix.django }}"}]
    assert set(job["services"]) == {"postgres", "redis"}
    assert job["env"]["DATABASE_URL"].startswith("postgres://")
    assert job["env"]["REQUIRE_SERVICES"] == "1"


def test_workflow_checkout_keeps_no_credentials(baked_default):
    checkouts = [
        step
        for step in _workflow_job(baked_default)["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == 1
    assert checkouts[0]["with"]["persist-credentials"] is False


def test_template_root_is_not_collected():
    """pytest must never import the Jinja sources of the baked project."""
    config = tomllib.loads((TEMPLATE_DIR / "pyproject.toml").read_text("utf-8"))
    assert config["tool"]["pytest"]["ini_options"]["testpaths"] == ["tests"]


# The REST API (`api` prompt) ------------------------------------------------

API_WORDS = (b"rest_framework", b"knox", b"spectacular", b"/api/", b"serializers")
# The personal access tokens page (HTML, of use only with the API).
API_PAGE_FILES = {"templates/users/tokens.html", "users/tests/test_tokens.py"} | {
    f"users/{layer}_tokens.py" for layer in ("views", "urls", "selectors", "services")
}


def _is_api_path(rel: str) -> bool:
    name = rel.rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0]
    return (
        rel.startswith("templates/api/")
        or rel in API_PAGE_FILES
        or (
            name.endswith((".py", ".py-tpl"))
            and (
                stem.startswith("test_api")
                or any(
                    stem == b or stem.startswith(b + "_")
                    for b in ("api", "serializers", "urls_api")
                )
            )
        )
    )


def test_the_default_bake_has_the_api(baked_default):
    for rel in (
        "core/api.py",
        "tasks/api.py",
        "tasks/serializers.py",
        "tasks/urls_api.py",
        *API_PAGE_FILES,
    ):
        assert (baked_default / rel).is_file(), rel
    settings = (baked_default / "config/settings/base.py").read_text("utf-8")
    assert '"rest_framework"' in settings


@pytest.mark.parametrize(
    "answers", [{"api": "none"}, {"lab": "starter"}, {"lab": "solution"}]
)
def test_without_the_api_nothing_of_it_is_left(cookies, baked_default, answers):
    """api=none, and every lab variant (whatever `api` says), bake no API."""
    project = bake_default(cookies, **answers)
    files = {relative(project, path) for path in project_files(project)}
    assert not {rel for rel in files if _is_api_path(rel)}
    offenders = [
        f"{rel}: {word.decode()}"
        for rel in sorted(files)
        if not rel.startswith(("_lab/", "docs/LAB", "docs/INSTRUCTOR"))
        for word in API_WORDS
        if word in (project / rel).read_bytes()
        # The layer rules and addapp name the API's modules, to find them.
        and not (
            word == b"serializers"
            and rel.startswith(("devtools/architecture/", "devtools/addapp.py"))
        )
    ]
    assert not offenders, "\n".join(offenders)
    if answers == {"api": "none"}:
        default = {relative(baked_default, p) for p in project_files(baked_default)}
        assert files == {rel for rel in default if not _is_api_path(rel)}
