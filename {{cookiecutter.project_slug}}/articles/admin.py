"""Staff screens for articles, tags and comments; every write goes through the services.

The admin asks Django's model permissions itself, the same ones
``articles.permissions`` asks on the site, so it calls no permission function
of its own. Publishing from here is the same workflow as on the site: the
first publication stamps ``published_at`` and sends the e-mail once, after
commit. An edit here passes no version to ``update_article``: like every
Django admin page, it saves what the staff member submits, without checking
for a change made since the page was loaded.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.models import Article, Comment, Tag
from articles.services import (
    approve_comment,
    create_article,
    create_tag,
    delete_article,
    delete_comment,
    rename_tag,
    update_article,
)
from articles.types import ArticleInput
from core.admin import ServiceAdmin


@admin.register(Article)
class ArticleAdmin(ServiceAdmin):
    list_display = ("title", "author", "status", "published_at", "updated_at")
    list_filter = ("status", "tags")
    search_fields = ("title", "slug", "author__username")
    list_select_related = ("author",)
    fields = (
        "title",
        "body",
        "status",
        "tags",
        "slug",
        "author",
        "published_at",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("slug", "author", "published_at", "created_at", "updated_at")
    filter_horizontal = ("tags",)
    date_hierarchy = "created_at"

    def save_model(
        self, request: HttpRequest, obj: Article, form: Any, change: bool
    ) -> None:
        data = ArticleInput(
            title=obj.title,
            body=obj.body,
            status=obj.status,
            tag_names=tuple(tag.name for tag in form.cleaned_data.get("tags", [])),
        )
        actor = self.actor(request)
        if change:
            saved = update_article(actor=actor, article=obj, data=data).article
        else:
            saved = create_article(actor=actor, data=data).article
        for field in ("pk", "slug", "author_id", "published_at", "created_at"):
            setattr(obj, field, getattr(saved, field))

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        # The services have set the tags already; only inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Article) -> None:
        delete_article(actor=self.actor(request), article=obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Article]
    ) -> None:
        for article in queryset:
            delete_article(actor=self.actor(request), article=article)


@admin.register(Tag)
class TagAdmin(ServiceAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    fields = ("name", "slug")
    readonly_fields = ("slug",)

    def save_model(
        self, request: HttpRequest, obj: Tag, form: Any, change: bool
    ) -> None:
        if change:
            rename_tag(actor=self.actor(request), tag=obj, name=obj.name)
        else:
            created = create_tag(actor=self.actor(request), name=obj.name)
            obj.pk = created.pk
            obj.slug = created.slug


@admin.register(Comment)
class CommentAdmin(ServiceAdmin):
    list_display = ("__str__", "author", "is_approved", "created_at")
    list_filter = ("is_approved",)
    search_fields = ("body", "author__username", "article__title")
    list_select_related = ("author", "article")
    fields = ("article", "author", "body", "is_approved", "created_at")
    readonly_fields = fields
    actions = ["approve_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments are written on the site

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        delete_comment(actor=self.actor(request), comment=obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> None:
        for comment in queryset:
            delete_comment(actor=self.actor(request), comment=comment)

    @admin.action(description="Approve the selected comments", permissions=["change"])
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Comment]
    ) -> None:
        approved = sum(
            approve_comment(actor=self.actor(request), comment=comment).approved_now
            for comment in queryset
        )
        self.message_user(
            request, f"{approved} comment(s) approved.", level=messages.SUCCESS
        )
