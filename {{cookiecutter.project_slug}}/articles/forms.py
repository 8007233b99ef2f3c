"""Input for the articles pages: validated and normalized, never saved here."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import slugify

from articles.models import Article, Tag
from articles.types import MAX_TAGS, ArticleFilters, ArticleInput, ArticleStatus
from core.forms_widgets import RenderedOnceSelect, RenderedOnceTextInput
from core.validators import validate_single_line

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length or 50
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length or 50
# Room for Article.edit_version(): four fields, each "<name>:<8 hex digits>".
VERSION_MAX_LENGTH = 100


class ArticleForm(forms.Form):
    title = forms.CharField(
        max_length=Article._meta.get_field("title").max_length,
        strip=True,
        validators=[validate_single_line],
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        strip=True,
        help_text="Needed before the article can be published.",
    )
    status = forms.ChoiceField(
        choices=ArticleStatus.choices,
        initial=ArticleStatus.DRAFT,
        help_text="A draft is visible to you (and to editors) only.",
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        validators=[validate_single_line],
        help_text="Separated by commas, e.g. <em>django, testing</em>.",
    )
    # The edit form's Article.edit_version(): what the person started from.
    version = forms.CharField(
        required=False, max_length=VERSION_MAX_LENGTH, widget=forms.HiddenInput
    )

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        """The form's starting values for editing ``article``."""
        return {
            "title": article.title,
            "body": article.body,
            "status": article.status,
            "tags": ", ".join(tag.name for tag in article.tags.all()),
            "version": article.edit_version(),
        }

    def edit_version(self) -> str | None:
        """The version of the article the form started from; None on a new one."""
        version: str = self.cleaned_data.get("version", "")
        return version or None

    def restart_from(self, article: Article) -> None:
        """Keep the person's input, and let their next save start from ``article``.

        After a save refused because the article changed meanwhile: the person
        has been told what changed, and saving again replaces it.
        """
        self.data = {**dict(self.data.items()), "version": article.edit_version()}

    def clean_tags(self) -> tuple[str, ...]:
        names: dict[str, str] = {}
        for raw in self.cleaned_data["tags"].split(","):
            name = " ".join(raw.split())
            if name:
                _check_tag_name(name)
                names.setdefault(name.lower(), name)
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"Use at most {MAX_TAGS} tags.")
        return tuple(names.values())

    def to_input(self) -> ArticleInput:
        """The validated input for the services; call after ``is_valid()``."""
        data = self.cleaned_data
        return ArticleInput(
            title=data["title"],
            body=data["body"],
            status=data["status"],
            tag_names=data["tags"],
        )


def _check_tag_name(name: str) -> None:
    """Refuse a tag whose name or slug would not fit its column."""
    shown = name if len(name) <= 20 else f"{name[:20]}…"
    if len(name) > TAG_NAME_MAX_LENGTH:
        raise forms.ValidationError(
            f"Tag “{shown}” is longer than {TAG_NAME_MAX_LENGTH} characters."
        )
    if len(slugify(name)) > TAG_SLUG_MAX_LENGTH:
        raise forms.ValidationError(
            f"Tag “{shown}” makes a link name longer than "
            f"{TAG_SLUG_MAX_LENGTH} characters: shorten it."
        )


class ArticleFilterForm(forms.Form):
    """The list's search box and tag filter; never invalid as a whole.

    A bad ``page`` is not an error: it cleans to ``None`` and the view's
    paginator shows the first page (and the last one for a number past it).
    """

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        strip=True,
        validators=[validate_single_line],
        widget=RenderedOnceTextInput(
            attrs={"type": "search", "placeholder": "Search title and text"}
        ),
    )
    tag = forms.SlugField(
        label="Tag",
        required=False,
        max_length=TAG_SLUG_MAX_LENGTH,
        widget=RenderedOnceSelect,
    )
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, tags: Iterable[Tag] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All tags")] + [(tag.slug, tag.name) for tag in tags]
        self.fields["tag"].widget.choices = choices
        # A <select> takes no maxlength; the field still checks the length.
        self.fields["tag"].widget.attrs.pop("maxlength", None)

    def clean_page(self) -> int | None:
        try:
            page = int(self.cleaned_data["page"])
        except (TypeError, ValueError):
            return None
        return page if page >= 1 else None

    def filters(self) -> ArticleFilters:
        """The valid filters, whatever else was wrong: a malformed tag is none."""
        self.is_valid()
        data = self.cleaned_data
        return ArticleFilters(q=data.get("q") or "", tag=data.get("tag") or None)

    def page_number(self) -> int | None:
        """The page asked for; ``None`` (the first page) when it is no number."""
        self.is_valid()
        page: int | None = self.cleaned_data.get("page")
        return page


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        strip=True,
        help_text="Comments appear once the author approves them.",
    )
