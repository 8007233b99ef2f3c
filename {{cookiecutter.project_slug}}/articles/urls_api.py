"""Mounted under ``api/v1/articles/``."""

from django.urls import path

from articles import api

app_name = "articles-api"

urlpatterns = [
    path("", api.ArticleListApi.as_view(), name="list"),
    path("<slug:slug>/", api.ArticleDetailApi.as_view(), name="detail"),
    path("<slug:slug>/publish/", api.ArticlePublishApi.as_view(), name="publish"),
    path("<slug:slug>/comments/", api.CommentListApi.as_view(), name="comments"),
    path(
        "<slug:slug>/comments/pending/",
        api.PendingCommentListApi.as_view(),
        name="pending-comments",
    ),
    path(
        "<slug:slug>/comments/<id:comment_id>/",
        api.CommentDetailApi.as_view(),
        name="comment",
    ),
    path(
        "<slug:slug>/comments/<id:comment_id>/approve/",
        api.CommentApproveApi.as_view(),
        name="comment-approve",
    ),
]
