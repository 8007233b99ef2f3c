from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/edit/", views.article_edit, name="edit"),
    path("<slug:slug>/delete/", views.article_delete, name="delete"),
    path("<slug:slug>/comments/", views.comment_create, name="comment"),
    path(
        "<slug:slug>/comments/<id:comment_id>/approve/",
        views.comment_approve,
        name="comment_approve",
    ),
    path(
        "<slug:slug>/comments/<id:comment_id>/delete/",
        views.comment_delete,
        name="comment_delete",
    ),
]
