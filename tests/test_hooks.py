"""The pre-generation hook rejects bad answers before anything is written."""

from __future__ import annotations

import pytest
from cookiecutter.exceptions import FailedHookException

from conftest import bake_default

# (field, bad value, part of the rule the message must state)
BAD_INPUTS = [
    ("project_slug", "class", "is a Python keyword"),
    ("project_slug", "match", "is a Python soft keyword"),
    ("project_slug", "django", "would shadow 'django'"),
    ("project_slug", "environ", "would shadow 'environ'"),
    ("project_slug", "pytest_django", "would shadow 'pytest_django'"),
    ("project_slug", "config", "would shadow the project's own module 'config'"),
    ("project_slug", "orgs", "would shadow the project's own module 'orgs'"),
    ("project_slug", "test", "would shadow the Python standard library module"),
    ("project_slug", "json", "would shadow the Python standard library module"),
    ("project_slug", "Bad-Slug", "is not a lowercase Python identifier"),
    ("project_slug", "1abc", "is not a lowercase Python identifier"),
    ("project_slug", "acme newsroom", "is not a lowercase Python identifier"),
    ("author_email", "not-an-email", "is not a valid e-mail address"),
    ("author_email", "dev@localhost", "is not a valid e-mail address"),
    ("author_email", "dev@@example.com", "is not a valid e-mail address"),
    ("domain_name", "https://example.com", "is not a valid domain name"),
    ("domain_name", "example.com/news", "is not a valid domain name"),
    ("domain_name", "example.com:8000", "is not a valid domain name"),
    ("domain_name", "localhost", "is not a valid domain name"),
    ("domain_name", "-bad-.example.com", "is not a valid domain name"),
    ("domain_name", "example.com\n", "is not a valid domain name"),
    ("author_email", "dev@example.com\n", "is not a valid e-mail address"),
    ("project_slug", "acme\n", "is not a lowercase Python identifier"),
    ("time_zone", "Mars/Olympus_Mons", "is not a known IANA time zone name"),
    ("time_zone", "GMT+25", "is not a known IANA time zone name"),
    ("project_name", "   ", "is empty"),
    ("description", "two\nlines", "contains a line break"),
]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ERROR:")]


def assert_nothing_left(out_dir) -> None:
    """``out_dir`` holds nothing but the empty output folders made for bakes."""
    left = sorted(
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        # pytest-cookies makes an output folder bakeNN itself before each bake
        if not (path.parent == out_dir and path.name.startswith("bake"))
    )
    assert left == [], f"a rejected bake left files behind: {left}"


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    BAD_INPUTS,
    ids=[f"{field}={value!r}" for field, value, _ in BAD_INPUTS],
)
def test_bad_input_is_rejected(cookies, capfd, tmp_path, field, value, rule):
    extra = {field: value}
    if field == "project_name":
        extra["project_slug"] = "acme_newsroom"  # judge the name on its own

    result = cookies.bake(extra_context=extra)

    assert result.exit_code != 0
    assert isinstance(result.exception, FailedHookException)
    lines = error_lines(capfd.readouterr().err)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"ERROR: {field} {value!r} {rule}"), lines[0]
    assert_nothing_left(tmp_path / "cookies")


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("project_slug", "class", "is a Python keyword"),
        ("project_slug", "django", "would shadow 'django'"),
        ("project_slug", "config", "would shadow the project's own module"),
        ("project_slug", "test", "would shadow the Python standard library"),
        ("project_slug", "Bad-Slug", "is not a lowercase Python identifier"),
        ("project_slug", "1abc", "is not a lowercase Python identifier"),
        ("author_email", "nobody", "is not a valid e-mail address"),
        ("domain_name", "http://example.com", "is not a valid domain name"),
        ("time_zone", "Nowhere/Else", "is not a known IANA time zone name"),
    ],
)
def test_cli_rejects_bad_input(cookiecutter_cli, field, value, rule):
    proc = cookiecutter_cli(f"{field}={value}")

    assert proc.returncode != 0
    lines = error_lines(proc.stderr)
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"ERROR: {field} {value!r} {rule}"), lines[0]
    assert_nothing_left(proc.out_dir)


def test_cli_message_for_keyword_slug_is_exact(cookiecutter_cli):
    proc = cookiecutter_cli("project_slug=class")

    assert proc.returncode == 1
    assert error_lines(proc.stderr) == [
        "ERROR: project_slug 'class' is a Python keyword; choose a lowercase "
        "Python identifier such as 'acme_newsroom'."
    ]


def test_every_bad_answer_is_reported(cookies, capfd):
    result = cookies.bake(
        extra_context={
            "project_slug": "class",
            "author_email": "x",
            "domain_name": "x",
            "time_zone": "x",
        },
    )

    assert result.exit_code != 0
    fields = [line.split()[1] for line in error_lines(capfd.readouterr().err)]
    assert fields == ["project_slug", "author_email", "domain_name", "time_zone"]


def test_suggested_slug_follows_the_project_name(cookies, capfd):
    result = cookies.bake(extra_context={"project_name": "Django"})

    assert result.exit_code != 0
    assert error_lines(capfd.readouterr().err) == [
        "ERROR: project_slug 'django' would shadow 'django', which the project "
        "installs; choose a lowercase Python identifier such as 'django_site'."
    ]


def test_quotes_in_answers_do_not_break_the_hooks(cookies, capfd):
    result = cookies.bake(
        extra_context={
            "project_slug": "quoted",
            "project_name": 'It\'s "quoted" \'\'\' """ \\',
            "author_name": 'O\'Brien "Bob" \\n',
            "author_email": "o'brien@example.com",
        },
    )

    assert result.exception is None, capfd.readouterr().err
    assert result.project_path.name == "quoted"


def test_valid_unusual_answers_are_accepted(cookies):
    project = bake_default(
        cookies,
        project_slug="news2_site",
        author_email="first.last+news@mail.example.co.uk",
        domain_name="news.Example-Site.org",
        time_zone="America/Argentina/Buenos_Aires",
    )

    assert project.name == "news2_site"


def test_every_top_level_module_of_the_project_is_reserved(
    baked_default, cookies, capfd
):
    names = sorted(
        path.stem if path.suffix == ".py" else path.name
        for path in baked_default.iterdir()
        if not path.name.startswith(".") and (path.is_dir() or path.suffix == ".py")
    )
    assert "config" in names

    accepted = []
    for name in names:
        result = cookies.bake(extra_context={"project_slug": name})
        if result.exit_code == 0:
            accepted.append(name)
    capfd.readouterr()

    assert accepted == [], (
        f"{accepted} can be chosen as project_slug although the project has a "
        "top-level module of that name: add them to PROJECT_MODULES in "
        "hooks/pre_gen_project.py"
    )
