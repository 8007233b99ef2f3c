"""The articles API's input and output: validated like the forms, rendered plainly.

Input serializers check what the forms check and produce the same
``articles.types`` data; the services check their rules again whoever calls.
Output serializers only render.
"""

from typing import Any

from rest_framework import serializers

from articles.models import Article, Tag
from articles.types import MAX_TAGS, ArticleFilters, ArticleInput, ArticleStatus
from core.api import represent, validate_single_line
from users.serializers import UserRefSerializer

TAG_NAME_MAX_LENGTH = Tag._meta.get_field("name").max_length or 50
TAG_SLUG_MAX_LENGTH = Tag._meta.get_field("slug").max_length or 50
COMMENT_MAX_LENGTH = 5000


class ArticleInputSerializer(serializers.Serializer[ArticleInput]):
    title = serializers.CharField(
        max_length=Article._meta.get_field("title").max_length,
        validators=[validate_single_line],
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed before the article can be published.",
    )
    status = serializers.ChoiceField(
        choices=ArticleStatus.choices,
        default=ArticleStatus.DRAFT,
        help_text="A draft is visible to its author (and to editors) only.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(
            max_length=TAG_NAME_MAX_LENGTH, validators=[validate_single_line]
        ),
        required=False,
        default=list,
        max_length=MAX_TAGS,
        help_text="Tag names; a new name makes a new tag.",
    )

    def to_input(self) -> ArticleInput:
        """The validated input for ``create_article``/``update_article``."""
        data = self.validated_data
        return ArticleInput(
            title=data["title"],
            body=data["body"],
            status=data["status"],
            tag_names=tuple(" ".join(name.split()) for name in data["tags"]),
        )


class ArticleUpdateSerializer(ArticleInputSerializer):
    version = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="The article's `version` as read: an article changed since is "
        "a 409 conflict naming the fields. Leave it out to overwrite.",
    )

    def edit_version(self) -> str | None:
        version: str = self.validated_data["version"]
        return version or None


class ArticleFilterSerializer(serializers.Serializer[ArticleFilters]):
    """The list's search and tag filter: the page's."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        validators=[validate_single_line],
        help_text="Searched in the title and the text.",
    )
    tag = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TAG_SLUG_MAX_LENGTH,
        help_text="A tag's slug.",
    )

    def to_filters(self) -> ArticleFilters:
        data = self.validated_data
        return ArticleFilters(q=data["q"], tag=data["tag"] or None)


class CommentInputSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=COMMENT_MAX_LENGTH)

    def to_body(self) -> str:
        body: str = self.validated_data["body"]
        return body


class TagSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    slug = serializers.SlugField()


class ArticleSerializer(serializers.Serializer[Any]):
    """An article as the API renders it (one or a page: hence Any)."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    body = serializers.CharField()
    status = serializers.ChoiceField(choices=ArticleStatus.choices)
    author = UserRefSerializer()
    tags = TagSerializer(many=True)
    published_at = serializers.DateTimeField(
        allow_null=True,
        help_text="The first publication; null for a draft never published.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    version = serializers.CharField(
        source="edit_version", help_text="Send it back with an update."
    )

    def to_representation(self, instance: Article) -> dict[str, Any]:
        """What DRF writes, each value by its field above (``represent``)."""
        values = {
            "id": instance.id,
            "slug": instance.slug,
            "title": instance.title,
            "body": instance.body,
            "status": instance.status,
            "author": instance.author,
            "tags": instance.tags,
            "published_at": instance.published_at,
            "created_at": instance.created_at,
            "updated_at": instance.updated_at,
            "version": instance.edit_version(),
        }
        return represent(self, values)


class CommentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    author = UserRefSerializer()
    body = serializers.CharField()
    is_approved = serializers.BooleanField()
    created_at = serializers.DateTimeField()
