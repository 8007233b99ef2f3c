"""No input answers 5xx: generated values in every URL parameter and every form.

The URL patterns come from the resolver and the forms from the pages that
show them, so a new app's URLs and forms are covered with no change here.
Each example sends one request, as an anonymous visitor, a member, an admin
of the organization or a superuser, whose path segments, query parameters and
form fields hold generated values: NUL bytes, invalid UTF-8 (a lone surrogate
on the wire), line breaks, over-long text, numbers of any size, text that
grows when slugified. The other fields keep real values (the slugs, ids and
tokens of rows that exist, the options of the page's own form), so a request
gets past its lookups and its form to the services. The answer must be below
500, and a refusal (a 4xx, or a form shown again) must leave every table of
the project as it was.

The Hypothesis profile (root ``conftest.py``) sets how many examples each URL
gets: ``check`` (the default, for ``make check``) a few, ``deep`` many, for a
deliberate run: ``HYPOTHESIS_PROFILE=deep pytest tests/test_input_fuzz.py``.
"""

from __future__ import annotations

import copy
import operator
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_from_bytes, urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from orgs.tests.factories import InviteFactory, MembershipFactory
from tasks.tests.factories import TaskFactory
from users.tests.factories import UserFactory

ACTORS = ("admin", "member", "anonymous", "superuser")
ADMIN_SITE_NAMESPACE = "admin"
# The admin site's routes get a third of the examples: Django's own pages
# around the project's admin classes, many of them alike.
ADMIN_SITE_SHARE = 3

# Characters that slugify or Unicode normalization turn into several.
GROWING = ("㎉", "﷽", "ǆ", "⑽", "ß", "ﬃ")
# Characters that have broken web apps: NUL, line breaks, lone surrogates
# (sent as invalid UTF-8), a byte-order mark, a right-to-left override.
ODD = ("\x00", "\r\n", "\n", "\u2028", "\ud800", "\udfff", "\ufeff", "\u202e")
# Values of the kinds that have answered 500: NUL inside text, numbers past
# a bigint and past the digits Python's int() reads, a well-formed e-mail
# address longer than an e-mail column, text that grows when slugified.
NASTY = (
    "a\x00b",
    "one\r\ntwo",
    "-1",
    "9" * 19,
    "9" * 4301,
    "1e309",
    "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com",
    "㎉" * 16,
    "ﬃ" * 21,
)

# What a field of each kind takes when it is not the one under attack.
PLAIN_VALUES = {
    "email": "someone@example.com",
    "date": "2030-01-31",
    "number": "1",
    "checkbox": "on",
}
PLAIN_TEXT = "Example"
NO_PLAIN_VALUE = frozenset({"select", "radio", "submit", "hidden", "file"})

# Read by views without a form on the page to say so.
QUERY_KEYS = {"page": {"2"}, "next": {"/"}}


# The URL patterns ------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: a template of literal text and named parameters."""

    key: str
    pieces: tuple[str | tuple[str, str | None], ...]
    model: type[models.Model] | None
    admin_site: bool

    @property
    def actors(self) -> tuple[str, ...]:
        """Who sends requests, the members of the organization most often: they
        get furthest. The admin site is for the superuser (and strangers)."""
        if self.admin_site:
            return ("superuser", "superuser", "anonymous")
        return ("admin", "member", *ACTORS)

    @property
    def readers(self) -> tuple[str, ...]:
        """Whose pages show every form: the admin of the organization, who
        wrote the article, or else a stranger (sign-up)."""
        if self.admin_site:
            return ("superuser",)
        return ("admin", "anonymous")

    @property
    def params(self) -> dict[str, str | None]:
        """Each parameter's name and the regex of its converter, if it has one."""
        return {p[0]: p[1] for p in self.pieces if isinstance(p, tuple)}

    def url(self, values: Mapping[str, str]) -> str:
        return "/" + "".join(
            quote(values[p[0]]) if isinstance(p, tuple) else p for p in self.pieces
        )


def _route_pieces(pattern: Any) -> list[str | tuple[str, str | None]]:
    pieces: list[str | tuple[str, str | None]] = []
    at = 0
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        for match in _PARAMETER.finditer(route):
            pieces.append(route[at : match.start()])
            name = match["name"]
            pieces.append((name, pattern.converters[name].regex))
            at = match.end()
        return [*pieces, route[at:]]
    assert isinstance(pattern, RegexPattern)
    regex = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    for match in _NAMED_GROUP.finditer(regex):
        end, depth = match.end(), 1
        while depth:
            depth += {"(": 1, ")": -1}.get(regex[end], 0)
            end += 1
        group = regex[match.end() : end - 1]
        pieces += [regex[at : match.start()].replace("\\", ""), (match["name"], group)]
        at = end
    return [*pieces, regex[at:].replace("\\", "")]


def _walk(
    patterns: list[Any], chain: tuple[Any, ...] = (), admin_site: bool = False
) -> Iterator[Route]:
    for entry in patterns:
        here = (*chain, entry.pattern)
        if isinstance(entry, URLResolver):
            in_admin = admin_site or entry.namespace == ADMIN_SITE_NAMESPACE
            yield from _walk(entry.url_patterns, here, in_admin)
            continue
        assert isinstance(entry, URLPattern)
        key = ""
        for pattern in here:
            key = key + str(pattern).removeprefix("^") if key else str(pattern)
        pieces = tuple(
            piece for pattern in here for piece in _route_pieces(pattern) if piece
        )
        model_admin = getattr(entry.callback, "model_admin", None)
        model = model_admin.model if model_admin else None
        yield Route(key=key, pieces=pieces, model=model, admin_site=admin_site)


ROUTES = sorted(_walk(get_resolver().url_patterns), key=operator.attrgetter("key"))
# The models by name, for the ids of ``<name>_id`` parameters.
_MODELS = {model._meta.model_name: model for model in apps.get_models()}


def route_of(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return None


def quote(value: str) -> str:
    """Percent-encode any text, a lone surrogate as the bytes it would have."""
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def encode(fields: Mapping[str, str]) -> str:
    return "&".join(f"{quote(name)}={quote(value)}" for name, value in fields.items())


# The forms and links of the pages -----------------------------------------


@dataclass
class Field:
    kind: str
    values: set[str] = field(default_factory=set)

    def plain_values(self) -> list[str]:
        """Values that pass this field's own checks, as far as a page tells:
        what the page offers, and a value of the field's kind for one that
        the person types (whose page offers it empty)."""
        plain = set(self.values)
        if self.kind not in NO_PLAIN_VALUE:
            plain = (plain - {""}) | {PLAIN_VALUES.get(self.kind, PLAIN_TEXT)}
        return sorted(plain) or [""]


@dataclass
class Inputs:
    """What a route reads: its query parameters and its form fields."""

    query: dict[str, Field] = field(default_factory=dict)
    form: dict[str, Field] = field(default_factory=dict)
    # A page has a form that posts here (a confirmation may have no field).
    posted: bool = False


class PageParser(HTMLParser):
    """The forms of a page, with their fields, and the query strings of its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, str, dict[str, Field]]] = []
        self.links: list[str] = []
        self._fields: dict[str, Field] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        name = attr.get("name", "")
        if tag == "form":
            self._fields = {}
            method = (attr.get("method") or "get").lower()
            self.forms.append((method, attr.get("action", ""), self._fields))
        elif tag == "a" and "?" in attr.get("href", ""):
            self.links.append(attr["href"])
        elif self._fields is None or name == "csrfmiddlewaretoken":
            return
        elif tag in ("input", "button") and name:
            kind = attr.get("type", "text" if tag == "input" else "submit").lower()
            self._add(name, kind, attr.get("value", ""))
        elif tag in ("select", "textarea") and name:
            self._select = name if tag == "select" else None
            self._fields.setdefault(name, Field(kind=tag))
        elif tag == "option" and self._select:
            self._add(self._select, "select", attr.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None

    def _add(self, name: str, kind: str, value: str) -> None:
        assert self._fields is not None
        self._fields.setdefault(name, Field(kind=kind)).values.add(value)


def _merge(into: dict[str, Field], fields: Mapping[str, Field]) -> None:
    for name, found in fields.items():
        into.setdefault(name, Field(kind=found.kind)).values |= found.values


def read_inputs(world: World) -> dict[str, Inputs]:
    """Every route's inputs, read from the pages: each as the first reader who
    gets it."""
    found: dict[str, Inputs] = defaultdict(Inputs)
    for route in ROUTES:
        url = route.url(
            {name: world.values_for(route, name)[0] for name in route.params}
        )
        for actor in route.readers:
            response = world.clients[actor].get(url)
            if response.status_code == 200:
                break
        if response.status_code == 200 and "html" in response["Content-Type"]:
            parser = PageParser()
            parser.feed(response.content.decode())
            for method, action, fields in parser.forms:
                target = route_of(urljoin(url, action))
                if target is not None:
                    inputs = found[target]
                    inputs.posted |= method == "post"
                    _merge(inputs.form if method == "post" else inputs.query, fields)
            for link in parser.links:
                target = route_of(urljoin(url, link))
                if target is not None:
                    query = urlsplit(urljoin(url, link)).query
                    links = {k: Field("text", {v}) for k, v in parse_qsl(query)}
                    _merge(found[target].query, links)
    return found


# The data and the people -------------------------------------------------


def project_tables() -> list[str]:
    """The tables of the project's own apps, many-to-many ones included.

    An app of the project is a folder of the project's own (a virtual
    environment in the project's folder holds other apps, deeper down).
    """
    base = Path(django_settings.BASE_DIR)
    own = {c.label for c in apps.get_app_configs() if Path(c.path).parent == base}
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in own
    )


def snapshot(tables: list[str]) -> list[list[tuple[Any, ...]]]:
    """Every row of these tables (plain SQL: it runs twice per example)."""
    rows = []
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name} ORDER BY 1")  # noqa: S608
            rows.append(cursor.fetchall())
    return rows


@dataclass
class World:
    clients: dict[str, Client]
    values: dict[str, list[str]]
    tables: list[str] = field(default_factory=project_tables)
    inputs: dict[str, Inputs] = field(default_factory=dict)
    # Every example is rolled back, so each one starts from these rows.
    rows: list[list[tuple[Any, ...]]] = field(default_factory=list)

    def values_for(self, route: Route, name: str) -> list[str]:
        """Real values for a parameter: ids of rows that exist, of the admin's
        model for ``object_id``, of the model ``<name>`` for ``<name>_id``."""
        model = route.model if name == "object_id" else _MODELS.get(name[:-3])
        if model is not None and name.endswith("_id"):
            pks = model._base_manager.order_by("pk").values_list("pk", flat=True)
            return [str(pk) for pk in pks[:3]] or ["1"]
        found = self.values.get(name) or self.values["*"]
        regex = route.params[name]
        fitting = [v for v in found if not regex or re.fullmatch(regex, v)]
        return fitting or found


def make_world() -> World:
    admin_membership = MembershipFactory.create(admin=True)
    organization = admin_membership.organization
    member_membership = MembershipFactory.create(organization=organization)
    admin, member = admin_membership.user, member_membership.user
    superuser = UserFactory.create(is_staff=True, is_superuser=True)
    task = TaskFactory.create(
        organization=organization, created_by=member, assigned_to=member
    )
    article = ArticleFactory.create(
        author=admin, published=True, tags=[TagFactory.create()]
    )
    draft = ArticleFactory.create(author=admin)
    CommentFactory.create(article=article, author=member)
    # To the admin: the page shows its form (accepting it is then refused).
    invite = InviteFactory.create(
        organization=organization, invited_by=admin, email=admin.email
    )
    clients = {actor: Client() for actor in ACTORS}
    clients["member"].force_login(member)
    clients["admin"].force_login(admin)
    clients["superuser"].force_login(superuser)
    ids = {
        "org_slug": [organization.slug],
        "slug": [article.slug, draft.slug],
        "token": [invite.token],
        "id": [user.pk for user in (admin, member, superuser)],
        "uidb64": [urlsafe_base64_encode(force_bytes(member.pk))],
        "content_type_id": [ContentType.objects.get_for_model(task).pk],
        "app_label": [config.label for config in apps.get_app_configs()],
    }
    values = {name: [str(value) for value in found] for name, found in ids.items()}
    values["*"] = sorted(
        {value for found in values.values() for value in found}
        | {str(row.pk) for row in (task, article, member_membership, invite)}
    )
    world = World(clients=clients, values=values)
    world.inputs = read_inputs(world)
    world.rows = snapshot(world.tables)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """One set of rows, people and pages for every test here, rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_world()
        transaction.set_rollback(True)


# Generated input ---------------------------------------------------------


def column_lengths() -> list[int]:
    """The length of every text column of the project, and one more."""
    tables = set(project_tables())
    lengths = {
        field.max_length
        for model in apps.get_models()
        if model._meta.db_table in tables
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and field.max_length
    }
    return sorted(lengths | {length + 1 for length in lengths})


# The known kinds half the time, the rest of Unicode the other half.
NASTY_TEXT = st.sampled_from(NASTY)
HOSTILE_TEXT = st.one_of(
    NASTY_TEXT,
    NASTY_TEXT,
    NASTY_TEXT,
    st.builds(
        operator.mul,
        st.sampled_from([*GROWING, *ODD, "a", "9", "-"]),
        st.one_of(
            st.sampled_from(column_lengths()), st.integers(min_value=1, max_value=600)
        ),
    ),
    st.text(st.characters(exclude_categories=())),
    st.integers().map(str),
)


@dataclass(frozen=True)
class Request:
    actor: str
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, str]


def requests(route: Route, world: World) -> st.SearchStrategy[Request]:
    """Requests of real values but for some hostile inputs.

    One request in four attacks a path parameter and keeps the rest plain:
    a bad path ends at the lookup. The others keep the path real and make
    each query parameter and form field hostile one time in three, plus
    sometimes an unexpected field, so that most requests get past the
    lookups, and many past the form, to what they could break.
    """
    inputs = world.inputs.get(route.key, Inputs())
    query_fields = {name: Field("text", set(v)) for name, v in QUERY_KEYS.items()}
    _merge(query_fields, inputs.query)
    real_path = {
        name: st.sampled_from(world.values_for(route, name)) for name in route.params
    }
    hostile_path = {
        name: (
            st.one_of(st.from_regex(regex, fullmatch=True), HOSTILE_TEXT)
            if regex
            else HOSTILE_TEXT
        )
        for name, regex in route.params.items()
    }
    plain_query = {
        name: st.sampled_from(field.plain_values())
        for name, field in sorted(query_fields.items())
    }
    plain_form = {
        name: st.sampled_from(field.plain_values())
        for name, field in sorted(inputs.form.items())
    }
    methods = st.sampled_from(["POST", "GET"] if inputs.posted else ["GET"])
    has_params = bool(route.params)
    path_names = st.sampled_from(sorted(route.params) or [""])
    # Plain is the simpler choice, so a failing example shrinks to the one
    # hostile input that matters.
    one_in_four = st.integers(min_value=0, max_value=3).map(lambda n: n == 3)
    one_in_three = st.integers(min_value=0, max_value=2).map(lambda n: n == 2)

    @st.composite
    def build(draw: st.DrawFn) -> Request:
        actor = draw(st.sampled_from(route.actors))
        method = draw(methods)
        attacked = None
        if has_params and draw(one_in_four):
            attacked = draw(path_names)
        path = {
            name: draw(hostile_path[name] if name == attacked else real)
            for name, real in real_path.items()
        }
        query: dict[str, str] = {}
        for name, plain in plain_query.items():
            if attacked is None and draw(one_in_three):
                query[name] = draw(HOSTILE_TEXT)
            elif draw(st.booleans()):
                query[name] = draw(plain)
        body: dict[str, str] = {}
        for name, plain in plain_form.items():
            if method != "POST":
                break
            hostile = attacked is None and draw(one_in_three)
            body[name] = draw(HOSTILE_TEXT if hostile else plain)
        if draw(one_in_three):
            extra = body if method == "POST" else query
            extra[draw(HOSTILE_TEXT)] = draw(HOSTILE_TEXT)
        return Request(
            actor=actor, method=method, path=route.url(path), query=query, body=body
        )

    return build()


def send(world: World, request: Request) -> None:
    """Send the request in a savepoint, check the answer, and undo its writes."""
    client = world.clients[request.actor]
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = client.generic(
                request.method,
                f"{request.path}?{encode(request.query)}",
                encode(request.body) if request.method == "POST" else "",
                content_type="application/x-www-form-urlencoded",
            )
            if response.streaming:
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            assert response.status_code < 500, response.status_code
            refused = response.status_code >= 400 or (
                request.method == "POST" and response.status_code == 200
            )
            if refused:
                assert (
                    snapshot(world.tables) == world.rows
                ), "a refused request wrote to the database"
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key or "/")
def test_no_input_answers_5xx_or_writes_when_refused(route, world, db):
    examples = settings().max_examples
    if route.admin_site:
        examples = max(1, examples // ADMIN_SITE_SHARE)

    @settings(max_examples=examples)
    @given(request=requests(route, world))
    def check(request: Request) -> None:
        send(world, request)

    check()
