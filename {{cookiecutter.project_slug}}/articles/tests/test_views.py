"""The articles pages as people use them: redirect to log in, 404, 403, or the page.

Behaviour tests: they go through the URLs only (arranging data with the
factories), so they hold whatever the code behind the views looks like. Query
counts are in ``test_queries.py``.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, Comment
from articles.tests.factories import ArticleFactory, CommentFactory, TagFactory
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"articles:{name}", kwargs=kwargs)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def author(db):
    return UserFactory.create(username="writer")


@pytest.fixture
def stranger(db):
    return UserFactory.create(username="stranger")


@pytest.fixture
def published(author):
    return ArticleFactory.create(
        author=author, published=True, title="Public news", slug="news"
    )


@pytest.fixture
def draft(author):
    return ArticleFactory.create(author=author, title="Secret draft", slug="secret")


# anonymous ----------------------------------------------------------------

LOGIN_ONLY = [
    ("get", "create", {}),
    ("post", "create", {}),
    ("get", "edit", {"slug": "news"}),
    ("post", "edit", {"slug": "news"}),
    ("get", "delete", {"slug": "news"}),
    ("post", "delete", {"slug": "news"}),
    ("post", "comment", {"slug": "news"}),
    ("post", "comment_approve", {"slug": "news", "comment_id": 1}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), LOGIN_ONLY)
def test_anonymous_is_sent_to_log_in(client, published, method, name, kwargs):
    path = url(name, **kwargs)
    response = getattr(client, method)(path)
    assertRedirects(
        response, f"/accounts/login/?next={path}", fetch_redirect_response=False
    )
    assert Article.objects.get().title == "Public news"


def test_anonymous_reads_published_articles(client, published, draft):
    response = client.get(url("list"))
    assertContains(response, "Public news")
    assertNotContains(response, "Secret draft")
    assertNotContains(response, url("create"))
    detail = client.get(url("detail", slug="news"))
    assertContains(detail, "Public news")
    assertContains(detail, "Log in</a> to leave a comment")
    assertNotContains(detail, url("edit", slug="news"))


# drafts: 404 to whoever may not see them ----------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "detail"),
        ("get", "edit"),
        ("post", "edit"),
        ("get", "delete"),
        ("post", "delete"),
        ("post", "comment"),
    ],
)
def test_someone_elses_draft_is_404(client, stranger, draft, method, name):
    client.force_login(stranger)
    data = {"title": "Hacked", "status": "draft", "body": "x"}
    response = getattr(client, method)(url(name, slug="secret"), data)
    assertContains(response, "Page not found", status_code=404)
    assertNotContains(response, "Secret draft", status_code=404)
    draft.refresh_from_db()
    assert draft.title == "Secret draft"


def test_anonymous_gets_404_for_a_draft(client, draft):
    assert client.get(url("detail", slug="secret")).status_code == 404


@pytest.mark.parametrize("who", ["author", "staff"])
def test_author_and_staff_see_the_draft(client, author, draft, who):
    client.force_login(author if who == "author" else UserFactory.create(is_staff=True))
    response = client.get(url("detail", slug="secret"))
    assertContains(response, "This is a draft")
    assertContains(response, url("edit", slug="secret"))
    assert response.context["comment_form"] is None  # no comments on drafts
    listing = client.get(url("list"))
    assertContains(listing, "Secret draft")


# others: 403 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "edit"), ("post", "edit"), ("get", "delete"), ("post", "delete")],
)
def test_others_may_not_edit_or_delete(client, stranger, published, method, name):
    client.force_login(stranger)
    data = {"title": "Hacked", "status": "published", "body": "x"}
    response = getattr(client, method)(url(name, slug="news"), data)
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Public news"


def test_others_may_not_approve_comments(client, stranger, published):
    comment = CommentFactory.create(article=published)
    client.force_login(stranger)
    response = client.post(url("comment_approve", slug="news", comment_id=comment.pk))
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.is_approved is False


def test_staff_edit_approve_and_delete_someone_elses_article(client, author, published):
    comment = CommentFactory.create(article=published)
    client.force_login(UserFactory.create(is_staff=True))
    form = {"title": "Edited by staff", "body": "Text", "status": "published"}
    assertRedirects(
        client.post(url("edit", slug="news"), form), url("detail", slug="news")
    )
    approve = url("comment_approve", slug="news", comment_id=comment.pk)
    assertRedirects(client.post(approve), url("detail", slug="news"))
    comment.refresh_from_db()
    published.refresh_from_db()
    assert (published.title, published.author, comment.is_approved) == (
        "Edited by staff",
        author,
        True,
    )
    assertRedirects(client.post(url("delete", slug="news")), url("list"))
    assert not Article.objects.exists()


def test_the_detail_page_hides_the_tools_from_others(client, stranger, published):
    client.force_login(stranger)
    response = client.get(url("detail", slug="news"))
    assertNotContains(response, url("edit", slug="news"))
    assertNotContains(response, url("delete", slug="news"))
    assert response.context["can_approve"] is False
    assert response.context["pending_comments"] == []


# create and edit ----------------------------------------------------------


def test_create_a_draft(client, author):
    client.force_login(author)
    assertContains(client.get(url("create")), "Write an article")
    response = client.post(
        url("create"),
        {"title": "My draft", "body": "Text", "status": "draft", "tags": "a, b"},
    )
    article = Article.objects.get()
    assertRedirects(response, url("detail", slug="my-draft"))
    assert (article.author, article.status) == (author, "draft")
    assert messages_of(response) == ["Draft “My draft” saved."]


def test_publishing_from_the_site_mails_the_author_once(
    client, author, draft, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(author)
    form = {"title": "Now public", "body": "Text", "status": "published", "tags": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("edit", slug="secret"), form)
    assertRedirects(response, url("detail", slug="secret"))
    assert messages_of(response) == ["“Now public” is published."]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", slug="secret"), {**form, "body": "Edited"})
    assert [m.subject for m in mailoutbox] == ["Published: Now public"]


def test_publishing_without_a_body_shows_the_refusal_on_the_field(
    client, author, draft
):
    client.force_login(author)
    response = client.post(
        url("edit", slug="secret"),
        {"title": "Secret draft", "body": "", "status": "published"},
    )
    assert response.status_code == 200
    assert "published article cannot have an empty body" in (
        response.context["form"].errors["body"][0]
    )
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_edit_form_starts_from_the_article(client, author, published):
    published.tags.set([TagFactory.create(name="Django")])
    client.force_login(author)
    response = client.get(url("edit", slug="news"))
    form = response.context["form"]
    assert form.initial["title"] == "Public news"
    assert form["tags"].value() == "Django"


def test_an_invalid_form_is_shown_again(client, author):
    client.force_login(author)
    response = client.post(url("create"), {"title": "", "status": "draft"})
    assertContains(response, "This field is required.")
    assert not Article.objects.exists()


# delete -------------------------------------------------------------------


def test_delete_asks_first_and_deletes_on_post_only(client, author, published):
    client.force_login(author)
    confirm = client.get(url("delete", slug="news"))
    assertContains(confirm, "Delete “Public news”?")
    assert Article.objects.filter(pk=published.pk).exists()
    response = client.post(url("delete", slug="news"))
    assertRedirects(response, url("list"))
    assert not Article.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_delete_refuses_other_methods(client, author, published, method):
    client.force_login(author)
    response = getattr(client, method)(url("delete", slug="news"))
    assert response.status_code == 405
    assert Article.objects.exists()


# comments -----------------------------------------------------------------


def test_comment_waits_for_approval_then_shows(client, author, stranger, published):
    client.force_login(stranger)
    response = client.post(url("comment", slug="news"), {"body": "Great read"})
    assertRedirects(response, url("detail", slug="news"))
    comment = Comment.objects.get()
    assert not comment.is_approved
    assertNotContains(client.get(url("detail", slug="news")), "Great read")

    client.force_login(author)
    detail = client.get(url("detail", slug="news"))
    assertContains(detail, "Waiting for approval")
    approve = url("comment_approve", slug="news", comment_id=comment.pk)
    assertContains(detail, approve)
    response = client.post(approve)
    assertRedirects(response, url("detail", slug="news"))
    assert messages_of(response) == ["The comment by stranger is now public."]

    client.logout()
    assertContains(client.get(url("detail", slug="news")), "Great read")


def test_an_empty_comment_is_shown_with_its_error(client, stranger, published):
    client.force_login(stranger)
    response = client.post(url("comment", slug="news"), {"body": "  "})
    assertContains(response, "This field is required.", status_code=400)
    assert not Comment.objects.exists()


def test_commenting_on_own_draft_shows_why_not(client, author, draft):
    client.force_login(author)
    response = client.post(url("comment", slug="secret"), {"body": "Too early"})
    assertContains(
        response, "Comments open once the article is published.", status_code=400
    )
    assert not Comment.objects.exists()


def test_comment_id_of_another_article_is_404(client, author, published):
    foreign = CommentFactory.create()
    client.force_login(author)
    response = client.post(url("comment_approve", slug="news", comment_id=foreign.pk))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_approved is False


# list: search, tags, pagination -------------------------------------------


def test_list_filters_by_search_and_tag(client):
    django = TagFactory.create(name="Django", slug="django")
    ArticleFactory.create(published=True, title="About Django", tags=[django])
    ArticleFactory.create(published=True, title="About pasta")
    response = client.get(url("list"), {"tag": "django"})
    assertContains(response, "About Django")
    assertNotContains(response, "About pasta")
    assertContains(response, '<option value="django" selected>Django</option>')
    response = client.get(url("list"), {"q": "pasta"})
    assertContains(response, "About pasta")
    assertNotContains(response, "About Django")
    assertContains(client.get(url("list"), {"q": "nothing"}), "No article matches")


@pytest.fixture
def twenty_five(db):
    author = UserFactory.create()
    return ArticleFactory.create_batch(25, author=author, published=True)


@pytest.mark.parametrize(
    ("page", "number", "count"),
    [
        (None, 1, 10),
        ("2", 2, 10),
        ("3", 3, 5),
        ("4", 3, 5),  # past the end: the last page
        ("999", 3, 5),
        ("abc", 1, 10),  # not a number: the first page
        ("0", 1, 10),
        ("-1", 1, 10),
        ("1.5", 1, 10),
    ],
)
def test_pagination_never_fails(client, twenty_five, page, number, count):
    response = client.get(url("list"), {"page": page} if page else {})
    assert response.status_code == 200
    assert response.context["page_obj"].number == number
    assert len(response.context["articles"]) == count


def test_pagination_links_keep_the_filters(client, twenty_five):
    response = client.get(url("list"), {"q": "article", "page": "2"})
    assertContains(response, 'href="?q=article&amp;page=3"')
    assertContains(response, 'href="?q=article&amp;page=1"')
