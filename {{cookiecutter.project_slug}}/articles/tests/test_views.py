"""The articles pages as people use them: redirect to log in, 404, 403, or the page.

Behaviour tests: they go through the URLs only (arranging data with the
factories), so they hold whatever the code behind the views looks like. Query
counts are in ``test_queries.py``.
"""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, Comment
from articles.tests.authorization import EDITOR_PERMISSIONS, ROLES, may
from articles.tests.factories import (
    ArticleFactory,
    CommentFactory,
    TagFactory,
    grant,
)
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"articles:{name}", kwargs=kwargs)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


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
    ("post", "comment_delete", {"slug": "news", "comment_id": 1}),
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


# Every article URL, with each method it answers.
ARTICLE_URLS = [
    ("get", "detail", {}),
    ("get", "edit", {}),
    ("post", "edit", {}),
    ("get", "delete", {}),
    ("post", "delete", {}),
    ("post", "comment", {}),
    ("post", "comment_approve", {"comment_id": 1}),
    ("post", "comment_delete", {"comment_id": 1}),
]


def answer(client, method, name, slug, kwargs):
    """What a URL tells about ``slug``: the slug and the CSRF token blanked out."""
    response = getattr(client, method)(url(name, slug=slug, **kwargs))
    location = response.get("Location", "")
    body = re.sub(
        r'(csrfmiddlewaretoken" value=)"\w+"', r"\1", response.content.decode()
    )
    return (
        response.status_code,
        location.replace(slug, "SLUG"),
        body.replace(slug, "SLUG"),
    )


@pytest.mark.parametrize(("method", "name", "kwargs"), ARTICLE_URLS)
@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_someone_elses_draft_answers_like_a_missing_slug(
    client, stranger, draft, method, name, kwargs, who
):
    """No answer tells anyone but its readers that a draft of that slug exists."""
    CommentFactory.create(article=draft)
    if who == "stranger":
        client.force_login(stranger)
    missing = "nosuch"  # as long as "secret": the pages are the same size
    assert answer(client, method, name, "secret", kwargs) == answer(
        client, method, name, missing, kwargs
    )


def test_the_tag_filter_lists_only_the_tags_of_articles_one_may_see(
    client, author, stranger, published, draft
):
    published.tags.set([TagFactory.create(name="Public", slug="public")])
    draft.tags.set([TagFactory.create(name="Merger plans", slug="merger-plans")])
    assertNotContains(client.get(url("list")), "Merger plans")
    client.force_login(stranger)
    response = client.get(url("list"))
    assertContains(response, '<option value="public">Public</option>')
    assertNotContains(response, "Merger plans")
    client.force_login(author)
    assertContains(client.get(url("list")), "Merger plans")


@pytest.mark.parametrize("who", ["author", "viewer", "superuser"])
def test_author_and_editors_see_the_draft(client, author, draft, who):
    reader = {
        "author": lambda: author,
        "viewer": lambda: grant(UserFactory.create(), "view_article"),
        "superuser": lambda: UserFactory.create(is_superuser=True),
    }[who]()
    client.force_login(reader)
    response = client.get(url("detail", slug="secret"))
    assertContains(response, "This is a draft")
    # Reading is not editing: the viewer gets no edit link.
    assert (url("edit", slug="secret") in response.content.decode()) is (
        who != "viewer"
    )
    assert response.context["comment_form"] is None  # no comments on drafts
    listing = client.get(url("list"))
    assertContains(listing, "Secret draft")


# the authorization matrix: the table the API's tests read too -------------

# Each action of the table that has a page: the URL name and the method.
PAGE_ACTIONS = {
    "list": ("get", "list"),
    "detail": ("get", "detail"),
    "create": ("post", "create"),
    "comment": ("post", "comment"),
    "edit": ("post", "edit"),
    "delete": ("post", "delete"),
    "approve": ("post", "comment_approve"),
    "reject": ("post", "comment_delete"),
}
PAGE_FORMS = {
    "create": {"title": "Posted", "body": "Text", "status": "draft"},
    "comment": {"body": "Posted"},
    "edit": {"title": "Edited", "body": "Text", "status": "published"},
}


def acting(role, action, *, author):
    """Someone of that role for that action (None: anonymous)."""
    if role == "anonymous":
        return None
    if role == "author":
        return author
    editor = role == "editor" and action in EDITOR_PERMISSIONS
    person = UserFactory.create()
    return grant(person, EDITOR_PERMISSIONS[action]) if editor else person


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_the_pages_answer_as_the_table_says(client, author, published, role, action):
    pending = CommentFactory.create(article=published, body="Waiting")
    person = acting(role, action, author=author)
    if person is not None:
        client.force_login(person)
    method, name = PAGE_ACTIONS[action]
    kwargs = {} if action in ("list", "create") else {"slug": "news"}
    if action in ("approve", "reject"):
        kwargs["comment_id"] = pending.pk
    path = url(name, **kwargs)
    response = getattr(client, method)(path, PAGE_FORMS.get(action, {}))
    if may(role, action):
        assert response.status_code in (200, 302)
        assert not response.get("Location", "").startswith("/accounts/login/")
    elif role == "anonymous":
        assertRedirects(
            response, f"/accounts/login/?next={path}", fetch_redirect_response=False
        )
    else:
        assert response.status_code == 403
    if not may(role, action):
        published.refresh_from_db()
        pending.refresh_from_db()
        assert (published.title, pending.is_approved) == ("Public news", False)
        assert Article.objects.count() == 1
        assert Comment.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_page_lists_pending_comments_as_the_table_says(
    client, author, published, role
):
    CommentFactory.create(article=published, body="Waiting")
    person = acting(role, "pending", author=author)
    if person is not None:
        client.force_login(person)
    response = client.get(url("detail", slug="news"))
    assert (len(response.context["pending_comments"]) == 1) is may(role, "pending")


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


def test_staff_without_permissions_is_a_reader_like_any_other(client, published, draft):
    comment = CommentFactory.create(article=published)
    client.force_login(UserFactory.create(is_staff=True))
    form = {"title": "Edited by staff", "body": "Text", "status": "published"}
    assert client.get(url("detail", slug="secret")).status_code == 404
    assert client.post(url("edit", slug="news"), form).status_code == 403
    assert client.post(url("delete", slug="news")).status_code == 403
    approve = url("comment_approve", slug="news", comment_id=comment.pk)
    assert client.post(approve).status_code == 403
    reject = url("comment_delete", slug="news", comment_id=comment.pk)
    assert client.post(reject).status_code == 403
    detail = client.get(url("detail", slug="news"))
    assertNotContains(detail, url("edit", slug="news"))
    published.refresh_from_db()
    comment.refresh_from_db()
    assert (published.title, comment.is_approved) == ("Public news", False)


@pytest.mark.parametrize("perm", sorted(set(EDITOR_PERMISSIONS.values())))
def test_each_power_needs_its_django_permission(client, published, perm):
    allowed = {
        PAGE_ACTIONS[action][1]
        for action, needed in EDITOR_PERMISSIONS.items()
        if needed == perm and action in PAGE_ACTIONS
    }
    comment = CommentFactory.create(article=published)
    client.force_login(grant(UserFactory.create(is_staff=True), perm))
    form = {"title": "Edited", "body": "Text", "status": "published"}
    answers = {
        "edit": client.post(url("edit", slug="news"), form).status_code,
        "comment_approve": client.post(
            url("comment_approve", slug="news", comment_id=comment.pk)
        ).status_code,
        # After the approval: an editor who may not reject leaves it there.
        "comment_delete": client.post(
            url("comment_delete", slug="news", comment_id=comment.pk)
        ).status_code,
        "delete": client.post(url("delete", slug="news")).status_code,
    }
    assert {name for name, status in answers.items() if status == 302} == allowed
    assert {name for name, status in answers.items() if status == 403} == (
        answers.keys() - allowed
    )


def test_an_editor_edits_approves_and_deletes_someone_elses_article(
    client, author, published
):
    """A user who is not staff, with the permissions: the same powers."""
    comment = CommentFactory.create(article=published)
    editor = grant(
        UserFactory.create(), "change_article", "delete_article", "change_comment"
    )
    client.force_login(editor)
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
    assertRedirects(response, url("detail", slug=article.slug))
    assert article.slug.startswith("my-draft")
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


@pytest.mark.parametrize(
    ("approved", "button", "message"),
    [(False, "Reject", "rejected"), (True, "Remove", "removed")],
)
def test_the_author_rejects_or_removes_a_comment(
    client, author, stranger, published, approved, button, message
):
    comment = CommentFactory.create(
        article=published, author=stranger, is_approved=approved, body="Spam"
    )
    kept = CommentFactory.create(article=published, approved=True)
    path = url("comment_delete", slug="news", comment_id=comment.pk)
    client.force_login(author)
    detail = client.get(url("detail", slug="news"))
    assertContains(detail, f'action="{path}"')
    assertContains(detail, f"{button}<span")
    response = client.post(path)
    assertRedirects(response, url("detail", slug="news"))
    assert messages_of(response) == [f"The comment by stranger was {message}."]
    assert list(Comment.objects.all()) == [kept]
    assertNotContains(client.get(url("detail", slug="news")), "Spam")


@pytest.mark.parametrize("who", ["stranger", "staff", "commenter"])
def test_others_may_not_reject_or_remove_comments(client, stranger, published, who):
    comment = CommentFactory.create(article=published, author=stranger)
    approved = CommentFactory.create(article=published, author=stranger, approved=True)
    person = {
        "stranger": stranger,  # who wrote the comments, too
        "staff": UserFactory.create(is_staff=True),
        "commenter": UserFactory.create(),
    }[who]
    client.force_login(person)
    detail = client.get(url("detail", slug="news"))
    assertNotContains(detail, "/delete/")  # no button to reject or remove
    for target in (comment, approved):
        path = url("comment_delete", slug="news", comment_id=target.pk)
        assert client.post(path).status_code == 403
    assert Comment.objects.count() == 2


def test_rejecting_a_comment_of_another_article_is_404(client, author, published):
    foreign = CommentFactory.create()
    client.force_login(author)
    path = url("comment_delete", slug="news", comment_id=foreign.pk)
    assert client.post(path).status_code == 404
    assert Comment.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_rejecting_takes_a_post_only(client, author, published, method):
    comment = CommentFactory.create(article=published)
    client.force_login(author)
    path = url("comment_delete", slug="news", comment_id=comment.pk)
    assert getattr(client, method)(path).status_code == 405
    assert Comment.objects.filter(pk=comment.pk).exists()


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


def test_list_rows_show_the_article_escaped_with_its_tags(client):
    author = UserFactory.create()
    tags = [
        TagFactory.create(name="C & C++", slug="c-and-cpp"),
        TagFactory.create(name="Django", slug="django"),
    ]
    ArticleFactory.create(
        published=True, title="<i>Typed</i> & fast", author=author, tags=tags
    )
    ArticleFactory.create(title="Unfinished", slug="unfinished", author=author)
    client.force_login(author)
    page = client.get(url("list")).content.decode()
    assert ">&lt;i&gt;Typed&lt;/i&gt; &amp; fast</a></td>" in page
    assert (
        f'<a class="badge" href="{url("list")}?tag=c-and-cpp">C &amp; C++</a> '
        f'<a class="badge" href="{url("list")}?tag=django">Django</a>'
    ) in page
    draft_row = page.split(f'href="{url("list")}unfinished/">Unfinished</a>')[1]
    draft_row = draft_row.split("</tr>")[0]
    assert draft_row.startswith(' <span class="badge badge--draft">Draft</span>')
    assert '<span class="muted">—</span>' in draft_row  # no tags
    assert '<span class="muted">Not yet</span>' in draft_row


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
    assertContains(response, f'href="{url("list")}?q=article&amp;page=3"')
    # Page 1 is the list itself, and an empty filter is no parameter.
    assertContains(response, f'href="{url("list")}?q=article"')
    response = client.get(url("list"), {"q": "", "tag": "", "page": "2"})
    assertContains(response, f'href="{url("list")}?page=3"')
    assertNotContains(response, "q=&amp;")
