r"""Reject bad answers before any file of the project is written.

Cookiecutter renders this file with Jinja before running it, so the answers
arrive below as one JSON document inside a raw triple-quoted string. No answer
can end that string early: ``tojson`` escapes every ``"`` inside a value as
``\"`` (and ``'`` as ``\u0027``), a raw string keeps backslashes as they are,
and valid JSON never has three unescaped ``"`` in a row.

Each problem is reported as one line on stderr naming the field, the value and
the rule; the exit status is then 1, and cookiecutter removes the project
folder it had just created.
"""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
import zoneinfo

ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

FALLBACK_SLUG = "acme_newsroom"

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")

SOFT_KEYWORDS = frozenset(getattr(keyword, "softkwlist", ())) | {
    "_",
    "case",
    "match",
    "type",
}

# Cookiecutter needs Python >= 3.10, which has sys.stdlib_module_names; that
# list leaves out the standard library's own test package, "test".
STDLIB_MODULES = frozenset(sys.stdlib_module_names) | {"test"}

# What the baked project installs (its dependencies and dev tools, and the
# main packages they bring in), as import names and as normalised
# distribution names: a project named after one of them would shadow it on
# sys.path or clash with it in pip.
DEPENDENCIES = frozenset(
    {
        "django",
        "environ",
        "django_environ",
        "whitenoise",
        "gunicorn",
        "psycopg",
        "psycopg_binary",
        "psycopg_c",
        "psycopg2",
        "asgiref",
        "sqlparse",
        "pytest",
        "_pytest",
        "pytest_django",
        "pluggy",
        "iniconfig",
        "factory",
        "factory_boy",
        "faker",
        "mypy",
        "mypy_extensions",
        "mypyc",
        "mypy_django_plugin",
        "django_stubs",
        "django_stubs_ext",
        "typing_extensions",
        "black",
        "blackd",
        "click",
        "pathspec",
        "platformdirs",
        "packaging",
        "ruff",
        "importlinter",
        "import_linter",
        "grimp",
        "pre_commit",
        "tomlkit",
        "virtualenv",
        "nodeenv",
        "identify",
        "cfgv",
        "yaml",
        "pyyaml",
        "pip",
        "setuptools",
        "wheel",
    }
)

# The baked project's own top-level modules, folders and commands: a slug
# equal to one of them would shadow it.
PROJECT_MODULES = frozenset(
    {
        "config",
        "core",
        "dashboard",
        "devtools",
        "users",
        "orgs",
        "articles",
        "tasks",
        "templates",
        "static",
        "docs",
        "manage",
        "conftest",
        "tests",
    }
)

EMAIL_RE = re.compile(
    r"^(?!\.)(?!.*\.\.)[A-Za-z0-9._%+'-]+(?<!\.)@(?P<domain>[^@\s]+)$"
)
LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name the project, or None when it can."""
    if not (SLUG_RE.fullmatch(slug) and slug.isidentifier()):
        return "is not a lowercase Python identifier (a-z first, then a-z, 0-9, _)"
    if keyword.iskeyword(slug):
        return "is a Python keyword"
    if slug in SOFT_KEYWORDS:
        return "is a Python soft keyword"
    if slug in STDLIB_MODULES:
        return f"would shadow the Python standard library module {slug!r}"
    if slug in DEPENDENCIES:
        return f"would shadow {slug!r}, which the project installs"
    if slug in PROJECT_MODULES:
        return f"would shadow the project's own module {slug!r}"
    return None


def suggest_slug(project_name: str) -> str:
    """A valid slug close to ``project_name``, for the error message."""
    ascii_name = (
        unicodedata.normalize("NFKD", project_name)
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")
    if base and not base[0].isalpha():
        base = f"project_{base}"
    for candidate in (base, f"{base}_site"):
        if base and slug_problem(candidate) is None:
            return candidate
    return FALLBACK_SLUG


def domain_ok(domain: str) -> bool:
    """A host name: dot-separated labels, at least two, no scheme/port/path."""
    if len(domain) > 253 or "." not in domain:
        return False
    labels = domain.split(".")
    if not all(LABEL_RE.fullmatch(label) for label in labels):
        return False
    # The last label is a top-level domain, never all digits (no IP address).
    return not labels[-1].isdigit()


def email_ok(email: str) -> bool:
    match = EMAIL_RE.fullmatch(email)
    return bool(match) and domain_ok(match.group("domain"))


def time_zone_ok(name: str) -> bool:
    zones = zoneinfo.available_timezones()
    if not zones:  # no time zone database to check against
        return True
    return name in zones


def text_problem(value: str, *, required: bool) -> str | None:
    if required and not value.strip():
        return "is empty"
    if any(unicodedata.category(char) == "Cc" for char in value):
        return "contains a line break or another control character"
    return None


def problems(answers: dict[str, str]) -> list[str]:
    found = []

    for field, required in (
        ("project_name", True),
        ("description", False),
        ("author_name", True),
    ):
        value = str(answers.get(field, ""))
        problem = text_problem(value, required=required)
        if problem:
            found.append(
                f"ERROR: {field} {value!r} {problem}; give one line of plain text."
            )

    slug = str(answers.get("project_slug", ""))
    problem = slug_problem(slug)
    if problem:
        suggestion = suggest_slug(str(answers.get("project_name", "")))
        kind = "one" if "identifier" in problem else "a lowercase Python identifier"
        found.append(
            f"ERROR: project_slug {slug!r} {problem}; "
            f"choose {kind} such as {suggestion!r}."
        )

    email = str(answers.get("author_email", ""))
    if not email_ok(email):
        found.append(
            f"ERROR: author_email {email!r} is not a valid e-mail address; "
            "use the form name@example.com."
        )

    domain = str(answers.get("domain_name", ""))
    if not domain_ok(domain):
        found.append(
            f"ERROR: domain_name {domain!r} is not a valid domain name; use host "
            "name labels (letters, digits, hyphens) joined by at least one dot, "
            "without scheme, port or path, such as 'example.com'."
        )

    time_zone = str(answers.get("time_zone", ""))
    if not time_zone_ok(time_zone):
        found.append(
            f"ERROR: time_zone {time_zone!r} is not a known IANA time zone name; "
            "use one such as 'UTC' or 'Europe/Paris'."
        )

    return found


def main() -> int:
    found = problems(ANSWERS)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
