"""The articles API: the article pages' work, in JSON, through the same layers.

Mounted under ``api/v1/articles/``. Like the pages: anyone reads published
articles and their approved comments; a draft is a 404 to whoever may not
see it (``selectors.get_article`` returns ``None``), as a missing slug is; a
signed-in caller without the right gets 403 (``articles.permissions``);
an anonymous write is a 401, asked before any article is looked up. A
service's refusal (``DomainError``) leaves through ``core.api.exception_handler``.
"""

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from articles import permissions, selectors
from articles.models import Article, Comment
from articles.serializers import (
    ArticleFilterSerializer,
    ArticleInputSerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
    CommentInputSerializer,
    CommentSerializer,
)
from articles.services import (
    add_comment,
    approve_comment,
    create_article,
    delete_article,
    delete_comment,
    publish_article,
    update_article,
)
from core.api import WRITE_THROTTLES, Pagination, error_responses
from core.http import found_or_404
from users.models import User

# What the URL converters take: a slug's alphabet, an id of 1 to 18 digits.
SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$"
)
COMMENT_ID = OpenApiParameter(
    "comment_id",
    {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
    OpenApiParameter.PATH,
)


def _actor(request: Request) -> User:
    """The signed-in caller: every write requires one."""
    return cast(User, request.user)


def _article(request: Request, slug: str) -> Article:
    return found_or_404(
        selectors.get_article(user=request.user, slug=slug), name="article"
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _comment(article: Article, comment_id: int) -> Comment:
    return found_or_404(
        selectors.get_comment(article=article, comment_id=comment_id), name="comment"
    )


class ArticleListApi(GenericAPIView[Article]):
    serializer_class = ArticleSerializer
    pagination_class = Pagination
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="articles_list",
        parameters=[ArticleFilterSerializer],
        responses={200: ArticleSerializer(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        """Published articles, and the caller's own drafts, newest first."""
        filters = ArticleFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        articles = selectors.list_articles(
            user=request.user, filters=filters.to_filters()
        )
        page = self.paginate_queryset(articles) or []
        return self.get_paginated_response(ArticleSerializer(page, many=True).data)

    @extend_schema(
        operation_id="articles_create",
        request=ArticleInputSerializer,
        responses={201: ArticleSerializer, **error_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        _require(permissions.can_create_article(user=request.user))
        serializer = ArticleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = create_article(actor=_actor(request), data=serializer.to_input())
        return Response(
            ArticleSerializer(result.article).data, status=status.HTTP_201_CREATED
        )


class ArticleDetailApi(GenericAPIView[Article]):
    serializer_class = ArticleSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="articles_retrieve",
        parameters=[SLUG],
        responses={200: ArticleSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(ArticleSerializer(_article(request, slug)).data)

    @extend_schema(
        operation_id="articles_update",
        parameters=[SLUG],
        request=ArticleUpdateSerializer,
        responses={200: ArticleSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def put(self, request: Request, slug: str) -> Response:
        article = _article(request, slug)
        _require(permissions.can_edit_article(user=request.user, article=article))
        serializer = ArticleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = update_article(
            actor=_actor(request),
            article=article,
            data=serializer.to_input(),
            version=serializer.edit_version(),
        )
        return Response(ArticleSerializer(result.article).data)

    @extend_schema(
        operation_id="articles_destroy",
        parameters=[SLUG],
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str) -> Response:
        article = _article(request, slug)
        _require(permissions.can_delete_article(user=request.user, article=article))
        delete_article(actor=_actor(request), article=article)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArticlePublishApi(GenericAPIView[Article]):
    serializer_class = ArticleSerializer

    @extend_schema(
        operation_id="articles_publish",
        parameters=[SLUG],
        request=None,
        responses={200: ArticleSerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Publish the article as it stands (a published one stays as it is)."""
        article = _article(request, slug)
        _require(permissions.can_edit_article(user=request.user, article=article))
        result = publish_article(actor=_actor(request), article=article)
        return Response(ArticleSerializer(result.article).data)


class CommentListApi(GenericAPIView[Comment]):
    serializer_class = CommentSerializer
    pagination_class = Pagination
    throttle_classes = WRITE_THROTTLES
    throttle_scope = "comment"
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="articles_comments_list",
        parameters=[SLUG],
        responses={200: CommentSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """The approved comments, oldest first."""
        article = _article(request, slug)
        comments = selectors.list_approved_comments(article=article)
        page = self.paginate_queryset(comments) or []
        return self.get_paginated_response(CommentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="articles_comments_create",
        parameters=[SLUG],
        request=CommentInputSerializer,
        responses={
            201: CommentSerializer,
            **error_responses(400, 401, 404, 409, 429),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Leave a comment: it waits for the approval of the author or a moderator."""
        article = _article(request, slug)
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = add_comment(
            actor=_actor(request), article=article, body=serializer.to_body()
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class PendingCommentListApi(GenericAPIView[Comment]):
    serializer_class = CommentSerializer
    pagination_class = Pagination

    @extend_schema(
        operation_id="articles_comments_pending_list",
        parameters=[SLUG],
        responses={200: CommentSerializer(many=True), **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        """The comments waiting for approval, oldest first: for their moderators."""
        article = _article(request, slug)
        _require(
            permissions.can_view_pending_comments(user=request.user, article=article)
        )
        comments = selectors.list_pending_comments(article=article)
        page = self.paginate_queryset(comments) or []
        return self.get_paginated_response(CommentSerializer(page, many=True).data)


class CommentApproveApi(GenericAPIView[Comment]):
    serializer_class = CommentSerializer

    @extend_schema(
        operation_id="articles_comments_approve",
        parameters=[SLUG, COMMENT_ID],
        request=None,
        responses={200: CommentSerializer, **error_responses(401, 403, 404, 409)},
    )
    def post(self, request: Request, slug: str, comment_id: int) -> Response:
        """Make the comment public (an approved one stays as it is)."""
        article = _article(request, slug)
        _require(permissions.can_approve_comments(user=request.user, article=article))
        comment = _comment(article, comment_id)
        result = approve_comment(actor=_actor(request), comment=comment)
        return Response(CommentSerializer(result.comment).data)


class CommentDetailApi(GenericAPIView[Any]):
    serializer_class = CommentSerializer

    @extend_schema(
        operation_id="articles_comments_destroy",
        parameters=[SLUG, COMMENT_ID],
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, slug: str, comment_id: int) -> Response:
        """Reject a pending comment, or remove an approved one."""
        article = _article(request, slug)
        _require(permissions.can_delete_comments(user=request.user, article=article))
        delete_comment(actor=_actor(request), comment=_comment(article, comment_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
