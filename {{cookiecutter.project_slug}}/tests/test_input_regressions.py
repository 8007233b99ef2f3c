"""Input that once answered 500 now gets a 4xx or a form error, and writes nothing.

One test per kind of input; ``test_input_fuzz.py`` generates the rest. On
PostgreSQL (``DATABASE_URL``) these are the requests that reached the
database: NUL in text, values longer than their column, numbers past a
bigint. On SQLite, which stores all three, they check the same answers.
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from articles.models import Article, Tag
from articles.tests.factories import ArticleFactory
from orgs.models import Invite, Organization
from tasks.models import Task
from tasks.tests.factories import TaskFactory
from users.models import User

PAST_BIGINT = "9" * 19
PAST_INT_DIGITS = "9" * 4301  # more digits than Python's int() reads
# Well-formed, and longer than the 254 characters of an e-mail column.
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".com"
# "㎉" slugifies to "kcal": 16 of them fit a tag's name but not its slug.
GROWS_WHEN_SLUGIFIED = "㎉" * 16


@pytest.fixture
def admin_client(client, org_with_roles):
    """Signed in as the organization's admin (not the site's superuser)."""
    client.force_login(org_with_roles.admin)
    return client


def form_errors(response) -> dict[str, list[str]]:
    return {
        name: list(errors) for name, errors in response.context["form"].errors.items()
    }


# Path segments --------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["%00", "abc%00def", "%ED%A0%80", "a" * 65, "with space", "dot."],
    ids=["nul", "nul-inside", "lone-surrogate", "too-long", "space", "dot"],
)
def test_an_invite_token_outside_its_alphabet_or_length_is_404(admin_client, token):
    response = admin_client.get(f"/orgs/invites/{token}/")
    assert response.status_code == 404


def test_an_unknown_token_of_the_right_form_reaches_the_page(admin_client):
    response = admin_client.get(
        reverse("orgs:invite_accept", args=["x" * 64]), follow=True
    )
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/acme/tasks/{big}/",
        "/orgs/acme/tasks/{big}/edit/",
        "/orgs/acme/tasks/{big}/delete/",
        "/orgs/acme/members/{big}/remove/",
        "/articles/{slug}/comments/{big}/approve/",
    ],
)
@pytest.mark.parametrize("big", [PAST_BIGINT, PAST_INT_DIGITS], ids=["19", "4301"])
def test_an_id_past_a_bigint_is_404(admin_client, org_with_roles, path, big):
    article = ArticleFactory.create(author=org_with_roles.admin, published=True)
    url = path.format(big=big, slug=article.slug)
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404


def test_the_largest_id_the_converter_takes_is_a_plain_404(admin_client):
    assert admin_client.get(f"/orgs/acme/tasks/{'9' * 18}/").status_code == 404


# Query strings --------------------------------------------------------------


PAGED = ["/orgs/acme/tasks/", "/orgs/acme/tasks/export.csv", "/articles/"]


@pytest.mark.parametrize("page", [PAST_BIGINT, PAST_INT_DIGITS, "-1"])
@pytest.mark.parametrize("path", PAGED)
def test_any_page_number_answers(admin_client, org_with_roles, path, page):
    TaskFactory.create(organization=org_with_roles.organization)
    response = admin_client.get(f"{path}?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", PAGED)
def test_a_nul_byte_in_a_page_number_answers(admin_client, path):
    assert admin_client.get(f"{path}?page=%00").status_code in (200, 400)


@pytest.mark.parametrize("name", ["priority", "assigned_to"])
@pytest.mark.parametrize("value", [PAST_BIGINT, PAST_INT_DIGITS, "-1", "%00"])
def test_a_number_filter_out_of_range_is_a_form_error(admin_client, name, value):
    response = admin_client.get(f"/orgs/acme/tasks/?{name}={value}")
    assert response.status_code in (200, 400)
    assert name in form_errors(response)

    export = admin_client.get(f"/orgs/acme/tasks/export.csv?{name}={value}")
    assert export.status_code == 400
    assert name in export.content.decode()


@pytest.mark.parametrize("query", ["q=%00", "q=a%0D%0Ab", "tag=%00", "tag=" + "a" * 61])
def test_odd_article_filters_answer(client, db, query):
    assert client.get(f"/articles/?{query}").status_code == 200


# Forms: values longer than their column -------------------------------------


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_a_log_in_with_a_name_longer_than_any_column_is_refused(client, db, path):
    """Django's log-in forms authenticate whatever the length; the throttling
    records the name tried, cut to its column."""
    response = client.post(path, {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    column = AccessAttempt._meta.get_field("username").max_length
    assert AccessAttempt.objects.get().username == "u" * column


def test_an_invite_email_longer_than_its_column_is_a_form_error(admin_client):
    response = admin_client.post(
        "/orgs/acme/invite/", {"email": LONG_EMAIL, "role": "member"}
    )
    assert response.status_code == 200
    assert "email" in form_errors(response)
    assert not Invite.objects.exists()


def test_a_signup_email_longer_than_its_column_is_a_form_error(client, db):
    password = "a-long-Secret-1234"
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": LONG_EMAIL,
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 200
    assert "email" in form_errors(response)
    assert not User.objects.filter(username="newcomer").exists()


def test_an_organization_name_longer_than_its_column_is_a_form_error(admin_client):
    response = admin_client.post("/orgs/new/", {"name": "n" * 121})
    assert "name" in form_errors(response)
    assert Organization.objects.count() == 1


def task_data(**changes):
    return {"title": "Write", "status": "todo", "priority": "2", **changes}


def article_data(**changes):
    return {"title": "Hello", "body": "Text.", "status": "draft", **changes}


def test_a_task_title_longer_than_its_column_is_a_form_error(admin_client):
    response = admin_client.post("/orgs/acme/tasks/new/", task_data(title="t" * 201))
    assert "title" in form_errors(response)
    assert not Task.objects.exists()


def test_an_article_title_longer_than_its_column_is_a_form_error(admin_client):
    response = admin_client.post("/articles/new/", article_data(title="t" * 201))
    assert "title" in form_errors(response)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "tag", ["t" * 51, GROWS_WHEN_SLUGIFIED], ids=["long-name", "long-slug"]
)
def test_a_tag_too_long_for_its_columns_is_a_form_error(admin_client, tag):
    response = admin_client.post("/articles/new/", article_data(tags=f"ok, {tag}"))
    assert response.status_code == 200
    assert "tags" in form_errors(response)
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


# Forms: line breaks and NUL in one-line fields ------------------------------


@pytest.mark.parametrize("value", ["one\r\ntwo", "one\ntwo", "one\u2028two"])
@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/orgs/new/", {}, "name"),
        ("/orgs/acme/tasks/new/", task_data(), "title"),
        ("/articles/new/", article_data(), "title"),
        ("/articles/new/", article_data(), "tags"),
    ],
)
def test_a_line_break_in_a_one_line_field_is_a_form_error(
    admin_client, path, data, field, value
):
    organizations, tasks = Organization.objects.count(), Task.objects.count()
    response = admin_client.post(path, {**data, field: value})
    assert response.status_code == 200
    assert field in form_errors(response)
    assert (Organization.objects.count(), Task.objects.count()) == (
        organizations,
        tasks,
    )
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/orgs/new/", {}, "name"),
        ("/orgs/acme/invite/", {"role": "member"}, "email"),
        ("/orgs/acme/tasks/new/", task_data(), "description"),
        ("/articles/new/", article_data(), "body"),
    ],
)
def test_a_nul_byte_in_any_field_is_a_form_error(admin_client, path, data, field):
    organizations, tasks = Organization.objects.count(), Task.objects.count()
    response = admin_client.post(path, {**data, field: "a\x00b"})
    assert field in form_errors(response)
    assert (Organization.objects.count(), Task.objects.count()) == (
        organizations,
        tasks,
    )
    assert not Article.objects.exists()
    assert not Invite.objects.exists()


def test_a_nul_byte_in_a_comment_is_refused(admin_client, org_with_roles):
    article = ArticleFactory.create(author=org_with_roles.member, published=True)
    url = reverse("articles:comment", kwargs={"slug": article.slug})
    response = admin_client.post(url, {"body": "a\x00b"})
    assert response.status_code == 400
    assert not article.comments.exists()


def test_invalid_utf8_in_a_form_is_read_as_replacement_characters(admin_client):
    response = admin_client.post(
        "/orgs/acme/tasks/new/",
        "title=%ED%A0%80%FF&status=todo&priority=2",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    assert set(Task.objects.get().title) == {"\ufffd"}
