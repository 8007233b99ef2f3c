"""Staff screens for articles, tags and comments."""

from django.contrib import admin

from articles.models import Article, Comment, Tag


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "status", "published_at", "updated_at")
    list_filter = ("status", "tags")
    search_fields = ("title", "slug", "author__username")
    list_select_related = ("author",)
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("tags",)
    date_hierarchy = "created_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "author", "is_approved", "created_at")
    list_filter = ("is_approved",)
    search_fields = ("body", "author__username", "article__title")
    list_select_related = ("author", "article")
