"""Articles, their tags and their readers' comments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.types import ArticleStatus
from core.models import TimeStampedModel
from core.versions import edit_version
from users.models import User

# Path segments under /articles/ that an article's slug must not take.
RESERVED_ARTICLE_SLUGS = frozenset({"new"})
# Who reads every draft on the site: Django's model permissions, as in the
# admin (a change permission includes the view).
DRAFT_READER_PERMISSIONS = ("articles.view_article", "articles.change_article")


class Tag(models.Model):
    name = models.CharField(max_length=50)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def visible_articles(user: User | AnonymousUser, *, through: str = "") -> Q:
    """Which articles ``user`` may read, as a condition on an article's fields.

    Anonymous: published; signed in: published and their own drafts.
    Everything for whoever may view or change articles (Django's model
    permissions, which superusers have): staff status alone grants none.
    ``through`` names the article from another model (``"article__"``), for
    a join instead of a subquery.
    """
    published = Q(**{f"{through}status": ArticleStatus.PUBLISHED})
    if not user.is_authenticated:
        return published
    if any(user.has_perm(perm) for perm in DRAFT_READER_PERMISSIONS):
        return Q()
    return published | Q(**{f"{through}author_id": user.pk})


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=ArticleStatus.PUBLISHED)

    def visible_to(self, user: User | AnonymousUser) -> ArticleQuerySet:
        """The articles ``user`` may read (``visible_articles``)."""
        return self.filter(visible_articles(user))


class Article(TimeStampedModel):
    Status = ArticleStatus

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    body = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    # Set by the services on the first publication, and kept from then on.
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    # What a person edits in the article form (``tags``: their slugs).
    EDITED_FIELDS = ("title", "body", "status", "tags")

    class Meta:
        # Newest first; drafts (no publication date yet) ahead of them on every
        # database, and the id breaks ties so pages never overlap.
        ordering = [
            models.F("published_at").desc(nulls_first=True),
            "-created_at",
            "-id",
        ]
        indexes = [
            # The public list: WHERE status = 'published' ORDER BY published_at.
            models.Index(
                fields=["status", "-published_at", "-created_at"],
                name="articles_status_pub_idx",
            ),
            # The list of a signed-in user or of an editor, drafts included.
            models.Index(
                fields=["-published_at", "-created_at"], name="articles_pub_idx"
            ),
            # A signed-in user's count (published OR theirs) from the index
            # alone, without reading the articles' bodies.
            models.Index(
                fields=["status", "author"], name="articles_status_author_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ArticleStatus.values),
                name="articles_article_status",
            ),
            models.CheckConstraint(
                condition=Q(status=ArticleStatus.DRAFT) | Q(published_at__isnull=False),
                name="articles_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status=ArticleStatus.DRAFT) | ~Q(body=""),
                name="articles_published_has_body",
                violation_error_message="A published article needs a body.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    def edit_version(self) -> str:
        """A token of the edited values: ``title:<digest>,body:<digest>,...``.

        An edit form carries the token of the article it showed; a field whose
        digest differs from the stored article's is one someone else changed.
        Reads the tags (prefetched or not) of a saved article.
        """
        values = {
            "title": self.title,
            "body": self.body,
            "status": self.status,
            "tags": sorted(tag.slug for tag in self.tags.all()) if self.pk else [],
        }
        return edit_version({name: values[name] for name in self.EDITED_FIELDS})


class Comment(TimeStampedModel):
    """A reader's comment; shown to everyone once approved."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField()
    is_approved = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["article", "is_approved", "created_at"],
                name="articles_comment_list_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.article}"
