"""Production settings install no development tool, so none of them ever runs there."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_on_prod_settings(*args: str) -> str:
    """The output of ``python ARGS`` in the project, on the production settings."""
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "{{ cookiecutter.domain_name }}",
        "DATABASE_URL": "sqlite:///:memory:",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_manage_py_help_on_prod_lists_no_development_command():
    commands = run_on_prod_settings("manage.py", "help").split()

    assert "migrate" in commands
    assert not {"addapp", "seed_demo", "[devtools]"} & set(commands)


def test_prod_installs_no_development_tool():
    apps = run_on_prod_settings(
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(*settings.INSTALLED_APPS)",
    ).split()

    assert "core" in apps
    assert "devtools" not in apps
