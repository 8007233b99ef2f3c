"""Forms validate and normalize input; only one test needs the database."""

import pytest

from articles.forms import ArticleFilterForm, ArticleForm, CommentForm
from articles.models import Tag
from articles.tests.factories import ArticleFactory, TagFactory
from articles.types import ArticleFilters, ArticleInput


def article_form(**overrides):
    data = {"title": " Hello ", "body": " World. ", "status": "draft", "tags": ""}
    data.update(overrides)
    return ArticleForm(data=data)


def test_article_form_produces_the_service_input():
    form = article_form(tags=" django , Web   dev,, Django ,")
    assert form.is_valid(), form.errors
    assert form.to_input() == ArticleInput(
        title="Hello", body="World.", status="draft", tag_names=("django", "Web dev")
    )


def test_article_form_never_saves():
    assert not hasattr(ArticleForm, "save")


def test_article_form_requires_a_title_and_a_known_status():
    form = article_form(title="  ", status="archived")
    assert not form.is_valid()
    assert form.errors["title"] == ["This field is required."]
    assert "archived is not one of the available choices" in form.errors["status"][0]


def test_article_form_leaves_the_publish_rule_to_the_service():
    """An empty body is fine for the form; the service decides on publishing."""
    form = article_form(body="", status="published")
    assert form.is_valid(), form.errors


def test_article_form_limits_the_number_of_tags():
    form = article_form(tags=",".join(f"t{i}" for i in range(11)))
    assert not form.is_valid()
    assert form.errors["tags"] == ["Use at most 10 tags."]


@pytest.mark.django_db
def test_initial_for_an_article_lists_its_tag_names():
    article = ArticleFactory.create(title="T", body="B", published=True)
    article.tags.set([TagFactory.create(name="Beta"), TagFactory.create(name="Alpha")])
    assert ArticleForm.initial_for(article) == {
        "title": "T",
        "body": "B",
        "status": "published",
        "tags": "Alpha, Beta",
        "version": article.edit_version(),
    }


@pytest.mark.parametrize(
    ("page", "expected"),
    [("3", 3), ("abc", None), ("0", None), ("-2", None), ("", None), (None, None)],
)
def test_filter_form_cleans_a_bad_page_to_none(page, expected):
    data = {"q": " django ", "tag": "web-dev"}
    if page is not None:
        data["page"] = page
    form = ArticleFilterForm(data)
    assert form.filters() == ArticleFilters(q="django", tag="web-dev")
    assert form.page_number() == expected


def test_filter_form_drops_a_malformed_tag_and_keeps_the_rest():
    form = ArticleFilterForm({"q": "x", "tag": "not a slug!", "page": "2"})
    assert form.filters() == ArticleFilters(q="x", tag=None)
    assert form.page_number() == 2


def test_filter_form_without_input_filters_nothing():
    form = ArticleFilterForm({})
    assert form.filters() == ArticleFilters()
    assert form.page_number() is None


def test_filter_form_offers_the_tags_it_is_given():
    form = ArticleFilterForm(tags=[Tag(name="Django", slug="django")])
    assert list(form.fields["tag"].widget.choices) == [
        ("", "All tags"),
        ("django", "Django"),
    ]
    assert 'value="django"' in str(form["tag"])


def test_comment_form_strips_and_requires_a_body():
    assert CommentForm({"body": "  Hi  "}).is_valid()
    blank = CommentForm({"body": "   "})
    assert not blank.is_valid()
    assert blank.errors["body"] == ["This field is required."]
    too_long = CommentForm({"body": "x" * 5001})
    assert not too_long.is_valid()
