"""The articles API answers like the article pages: same rules, same rows, in JSON."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from articles.models import Article, Comment
from articles.serializers import ArticleSerializer
from articles.tests.authorization import ROLES, may
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from articles.tests.test_queries import add_articles, add_comments
from articles.tests.test_views import acting, url
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID_INPUT = {"title": "Posted", "body": "Text", "status": "draft", "tags": []}
# (action of the shared table, method, url name, needs a comment id)
ENDPOINTS = [
    ("list", "get", "articles-api:list", False),
    ("create", "post", "articles-api:list", False),
    ("detail", "get", "articles-api:detail", False),
    ("edit", "put", "articles-api:detail", False),
    ("delete", "delete", "articles-api:detail", False),
    ("publish", "post", "articles-api:publish", False),
    ("comments", "get", "articles-api:comments", False),
    ("comment", "post", "articles-api:comments", False),
    ("pending", "get", "articles-api:pending-comments", False),
    ("approve", "post", "articles-api:comment-approve", True),
    ("reject", "delete", "articles-api:comment", True),
]
BODIES = {"create": VALID_INPUT, "edit": VALID_INPUT, "comment": {"body": "Hi"}}


@pytest.fixture(autouse=True)
def no_throttling_from_earlier_tests():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def api_url(name, *, slug=None, comment=None):
    kwargs = {}
    if slug is not None and name != "articles-api:list":
        kwargs["slug"] = slug
    if comment is not None:
        kwargs["comment_id"] = comment.pk
    return reverse(name, kwargs=kwargs)


def call(api, action, method, name, *, slug, comment=None):
    path = api_url(name, slug=slug, comment=comment)
    return getattr(api, method)(path, BODIES.get(action), format="json")


def unchanged(article, comment):
    article.refresh_from_db()
    comment.refresh_from_db()
    return (
        article.title == "Public news"
        and not comment.is_approved
        and Article.objects.count() == 1
        and Comment.objects.count() == 1
    )


# the authorization matrix: the pages' table -------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "method", "name", "needs_comment"), ENDPOINTS)
def test_everyone_gets_what_the_table_allows(
    api, author, published, role, action, method, name, needs_comment
):
    pending = CommentFactory.create(article=published, body="Waiting")
    person = acting(role, action, author=author)
    if person is not None:
        api.force_authenticate(person)
    comment = pending if needs_comment else None
    response = call(api, action, method, name, slug="news", comment=comment)
    if may(role, action):
        assert response.status_code in (200, 201, 204), response.content
    elif role == "anonymous":
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert unchanged(published, pending)
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert unchanged(published, pending)


@pytest.mark.parametrize(
    ("action", "method", "name", "needs_comment"),
    [e for e in ENDPOINTS if e[0] not in ("list", "create")],
)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_someone_elses_draft_answers_like_a_missing_slug(
    api, draft, who, action, method, name, needs_comment
):
    """404 for whoever may not read it; anonymous refused is 401 either way."""
    comment = CommentFactory.create(article=draft)
    if who == "reader":
        api.force_authenticate(UserFactory.create())
    answers = [
        call(
            api,
            action,
            method,
            name,
            slug=slug,
            comment=comment if needs_comment else None,
        )
        for slug in ("secret", "nosuch")
    ]
    expected = 401 if who == "anonymous" and not may("anonymous", action) else 404
    assert [a.status_code for a in answers] == [expected, expected]
    assert answers[0].json() == answers[1].json()
    draft.refresh_from_db()
    assert draft.title == "Secret draft"
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_author_sees_their_draft(api, author, draft):
    api.force_authenticate(author)
    body = api.get(api_url("articles-api:detail", slug="secret")).json()
    assert (body["title"], body["status"], body["published_at"]) == (
        "Secret draft",
        "draft",
        None,
    )
    listed = api.get(api_url("articles-api:list")).json()["results"]
    assert [a["slug"] for a in listed] == ["secret"]


# the list: the page's search, tag filter and order -------------------------


@pytest.mark.parametrize(
    "query", ["", "?q=pasta", "?tag=django", "?q=About&tag=django"]
)
@pytest.mark.parametrize("who", ["anonymous", "author"])
def test_the_list_has_the_pages_rows_in_its_order(client, api, author, query, who):
    django = TagFactory.create(name="Django", slug="django")
    ArticleFactory.create(published=True, title="About Django", tags=[django])
    ArticleFactory.create(published=True, title="About pasta")
    ArticleFactory.create_batch(12, published=True, author=author)
    ArticleFactory.create(author=author, title="Draft about Django", tags=[django])
    if who == "author":
        client.force_login(author)
        api.force_authenticate(author)
    page = client.get(url("list") + query)
    body = api.get(
        api_url("articles-api:list") + query + ("&" if query else "?") + "page_size=10"
    ).json()
    assert [a["id"] for a in body["results"]] == [
        a.pk for a in page.context["articles"]
    ]
    assert body["count"] == page.context["page_obj"].paginator.count


def test_an_article_renders_with_its_author_and_tags(api, author, published):
    published.tags.set([TagFactory.create(name="Django", slug="django")])
    body = api.get(api_url("articles-api:detail", slug="news")).json()
    assert body["author"] == {"id": author.pk, "username": "writer"}
    assert body["tags"] == [{"name": "Django", "slug": "django"}]
    assert body["version"] == published.edit_version()


@pytest.mark.parametrize(
    ("query", "field"),
    [("?q=a%0Ab", "q"), ("?tag=not%20a%20slug", "tag"), ("?q=" + "x" * 201, "q")],
)
def test_filters_that_are_not_valid_are_400_naming_the_field(api, query, field):
    response = api.get(api_url("articles-api:list") + query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


# Anonymous: count, page of articles (author joined), their tags. Signed in:
# + the caller's permissions (their own and their groups', in one query).
LIST_QUERIES = {"anonymous": 3, "reader": 4}
# Comments: the article (author joined), its tags, count, page (authors
# joined); the moderator's pending list the same, after their permissions.
COMMENT_QUERIES = {"comments": 4, "pending": 5}


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_list_queries_do_not_grow_with_the_articles(
    api, author, django_assert_num_queries, count, who
):
    tags = [TagFactory.create(name=f"Tag {i}") for i in range(3)]
    add_articles(count, author=author, tags=tags)
    if who == "reader":
        api.force_authenticate(UserFactory.create())
    with django_assert_num_queries(LIST_QUERIES[who]):
        response = api.get(api_url("articles-api:list"))
    results = response.json()["results"]
    assert len(results) == min(count, 20)
    assert all(len(a["tags"]) == 3 for a in results)


@pytest.mark.parametrize("count", [10, 1000])
@pytest.mark.parametrize("which", ["comments", "pending"])
def test_comment_queries_do_not_grow_with_the_comments(
    api, author, published, django_assert_num_queries, count, which
):
    add_comments(count, article=published, approved=which == "comments")
    if which == "pending":
        api.force_authenticate(author)
    name = f"articles-api:{'comments' if which == 'comments' else 'pending-comments'}"
    with django_assert_num_queries(COMMENT_QUERIES[which]):
        response = api.get(api_url(name, slug="news"))
    assert response.json()["count"] == count


# writes: the services' rules, the envelope ---------------------------------


def test_create_answers_the_article_with_its_tags(api, author):
    api.force_authenticate(author)
    response = api.post(
        api_url("articles-api:list"),
        {"title": "  New  ", "body": "Text", "tags": ["Web  dev", "web dev", "Django"]},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["status"]) == ("New", "draft")
    assert body["slug"].startswith("new-")
    assert sorted(t["slug"] for t in body["tags"]) == ["django", "web-dev"]
    assert Article.objects.get().author == author


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"title": ""}, "title", "blank"),
        ({"title": "x" * 201}, "title", "max_length"),
        ({"title": "a\nb"}, "title", "single_line"),
        ({"title": "ok", "status": "gone"}, "status", "invalid_choice"),
        ({"title": "ok", "tags": ["t"] * 11}, "tags", "max_length"),
        ({"title": "ok", "tags": ["x" * 51]}, "tags.0", "max_length"),
    ],
)
def test_invalid_input_is_400_naming_field_and_rule(api, author, data, field, code):
    api.force_authenticate(author)
    response = api.post(api_url("articles-api:list"), data, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert not Article.objects.exists()


def test_a_tag_without_letters_is_refused_by_the_service(api, author):
    api.force_authenticate(author)
    response = api.post(
        api_url("articles-api:list"), {**VALID_INPUT, "tags": ["!!"]}, format="json"
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["errors"][0]["field"]) == (
        "refused",
        "tags",
    )
    assert not Article.objects.exists()


def test_publishing_without_a_body_is_409_on_the_body(api, author):
    api.force_authenticate(author)
    response = api.post(
        api_url("articles-api:list"),
        {"title": "Empty", "status": "published"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["errors"][0]["field"] == "body"
    assert not Article.objects.exists()


def test_an_update_from_a_stale_version_is_409_and_writes_nothing(
    api, author, published
):
    api.force_authenticate(author)
    path = api_url("articles-api:detail", slug="news")
    version = api.get(path).json()["version"]
    Article.objects.filter(pk=published.pk).update(title="Changed meanwhile")
    response = api.put(path, {**VALID_INPUT, "version": version}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "title" in response.json()["message"]
    published.refresh_from_db()
    assert published.title == "Changed meanwhile"
    response = api.put(path, {**VALID_INPUT, "title": "Mine"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "Mine"


def test_publish_mails_the_first_publication_once(
    api, author, draft, mailoutbox, django_capture_on_commit_callbacks
):
    api.force_authenticate(author)
    path = api_url("articles-api:publish", slug="secret")
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(path)
        again = api.post(path)
    assert [first.status_code, again.status_code] == [200, 200]
    assert first.json()["status"] == "published"
    assert first.json()["published_at"] == again.json()["published_at"] is not None
    assert [m.subject for m in mailoutbox] == ["Published: Secret draft"]


def test_publishing_an_empty_draft_is_409(api, author):
    ArticleFactory.create(author=author, slug="empty", body="")
    api.force_authenticate(author)
    response = api.post(api_url("articles-api:publish", slug="empty"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body"
    assert Article.objects.get().status == "draft"


def test_delete_removes_the_article_and_its_comments(api, author, published):
    CommentFactory.create(article=published)
    api.force_authenticate(author)
    path = api_url("articles-api:detail", slug="news")
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert not Comment.objects.exists()


# comments and their moderation ---------------------------------------------


def test_a_comment_waits_for_approval_then_shows(api, author, published):
    reader = UserFactory.create(username="reader")
    api.force_authenticate(reader)
    comments = api_url("articles-api:comments", slug="news")
    response = api.post(comments, {"body": "  Great read  "}, format="json")
    assert response.status_code == 201
    assert (response.json()["body"], response.json()["is_approved"]) == (
        "Great read",
        False,
    )
    assert api.get(comments).json()["count"] == 0

    api.force_authenticate(author)
    pending = api.get(api_url("articles-api:pending-comments", slug="news")).json()
    assert [c["author"]["username"] for c in pending["results"]] == ["reader"]
    comment = Comment.objects.get()
    approve = api_url("articles-api:comment-approve", slug="news", comment=comment)
    assert api.post(approve).json()["is_approved"] is True
    assert api.post(approve).status_code == 200  # approved already: unchanged

    api.force_authenticate(None)
    assert [c["body"] for c in api.get(comments).json()["results"]] == ["Great read"]


def test_commenting_on_a_draft_is_409(api, author, draft):
    api.force_authenticate(author)
    response = api.post(
        api_url("articles-api:comments", slug="secret"),
        {"body": "Early"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_an_empty_or_too_long_comment_is_400(api, published, body):
    api.force_authenticate(UserFactory.create())
    response = api.post(
        api_url("articles-api:comments", slug="news"), {"body": body}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("approved", [False, True])
def test_the_author_rejects_or_removes_a_comment(api, author, published, approved):
    comment = CommentFactory.create(article=published, is_approved=approved)
    kept = CommentFactory.create(article=published, approved=True)
    api.force_authenticate(author)
    path = api_url("articles-api:comment", slug="news", comment=comment)
    assert api.delete(path).status_code == 204
    assert list(Comment.objects.all()) == [kept]
    assert api.delete(path).status_code == 404


@pytest.mark.parametrize(
    ("method", "name"),
    [("post", "articles-api:comment-approve"), ("delete", "articles-api:comment")],
)
def test_a_comment_of_another_article_is_404(api, author, published, method, name):
    foreign = CommentFactory.create()
    api.force_authenticate(author)
    response = getattr(api, method)(api_url(name, slug="news", comment=foreign))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_approved is False


def test_an_article_is_written_as_drf_writes_its_declared_fields():
    draft = ArticleFactory.create()
    published = ArticleFactory.create(published=True)
    published.tags.add(TagFactory.create(), TagFactory.create())
    for article in Article.objects.filter(pk__in=[draft.pk, published.pk]):
        serializer = ArticleSerializer(article)
        expected = serializers.Serializer.to_representation(serializer, article)
        assert serializer.data == expected
        assert list(serializer.data) == list(serializer.fields)
    assert len(ArticleSerializer(published).data["tags"]) == 2
