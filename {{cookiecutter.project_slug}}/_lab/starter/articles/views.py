"""The articles pages.

Each view builds its own queries, checks who may do what, saves the article
and sends the "published" e-mail itself.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.forms import ArticleFilterForm, ArticleForm, CommentForm
from articles.models import RESERVED_ARTICLE_SLUGS, Article, Comment, Tag
from core.pagination import CappedPaginator
from core.rate_limits import limit_posts
from users.types import AuthenticatedHttpRequest

ARTICLES_PER_PAGE = 10


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    # Only the tags of articles this user may see: a draft's tags stay hidden.
    tags = list(
        Tag.objects.filter(articles__in=Article.objects.visible_to(request.user))
        .distinct()
        .order_by("name")
    )
    form = ArticleFilterForm(request.GET, tags=tags)
    filters = form.filters()
    articles = (
        Article.objects.visible_to(request.user)
        .select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    if filters.tag:
        articles = articles.filter(
            Exists(
                Article.tags.through.objects.filter(
                    article_id=OuterRef("pk"), tag__slug=filters.tag
                )
            )
        )
    q = filters.q.strip()
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(body__icontains=q))
    page_obj = CappedPaginator(articles, ARTICLES_PER_PAGE).get_page(
        form.page_number()
    )
    context = {
        "form": form,
        "page_obj": page_obj,
        "articles": page_obj.object_list,
        "q": filters.q,
        "tag": filters.tag or "",
        "can_create": request.user.is_authenticated,
    }
    return render(request, "articles/list.html", context)


def _get_article(request: HttpRequest, slug: str) -> Article:
    article = (
        Article.objects.visible_to(request.user)
        .select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .filter(slug=slug)
        .first()
    )
    if article is None:
        raise Http404("No article matches the given query.")
    return article


def _detail_context(
    request: HttpRequest, article: Article, comment_form: CommentForm | None = None
) -> dict[str, Any]:
    user = request.user
    is_author = user.is_authenticated and article.author_id == user.pk
    can_comment = user.is_authenticated and article.is_published
    can_approve = is_author or user.has_perm("articles.change_comment")
    can_remove = is_author or user.has_perm("articles.delete_comment")
    comments = (
        Comment.objects.filter(article=article)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return {
        "article": article,
        "comments": comments.filter(is_approved=True),
        "pending_comments": (
            comments.filter(is_approved=False) if can_approve or can_remove else []
        ),
        "can_edit": is_author or user.has_perm("articles.change_article"),
        "can_delete": is_author or user.has_perm("articles.delete_article"),
        "can_approve": can_approve,
        "can_remove_comments": can_remove,
        "comment_form": comment_form or (CommentForm() if can_comment else None),
    }


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    return render(request, "articles/detail.html", _detail_context(request, article))


def _save(
    request: AuthenticatedHttpRequest, article: Article, form: ArticleForm
) -> bool:
    """Save the form into ``article``; True when it was published just now."""
    data = form.cleaned_data
    if data["status"] == Article.Status.PUBLISHED and not data["body"].strip():
        form.add_error(
            "body",
            "Write the body before publishing: a published article cannot have "
            "an empty body. Save it as a draft for now.",
        )
        return False
    article.title = data["title"]
    article.body = data["body"]
    article.status = data["status"]
    if article.pk is None:
        article.author = request.user
        base = slugify(data["title"])[:200].strip("-") or "article"
        slug, n = base, 2
        while (
            slug in RESERVED_ARTICLE_SLUGS or Article.objects.filter(slug=slug).exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        article.slug = slug
    published_now = (
        article.status == Article.Status.PUBLISHED and not article.published_at
    )
    if published_now:
        article.published_at = timezone.now()
    with transaction.atomic():
        article.save()
        tags = []
        for name in data["tags"]:
            tag, _ = Tag.objects.get_or_create(
                slug=slugify(name), defaults={"name": name}
            )
            tags.append(tag)
        article.tags.set(tags)
    if published_now:
        link = settings.SITE_URL.rstrip("/") + reverse(
            "articles:detail", kwargs={"slug": article.slug}
        )
        recipients = [article.author.email] if article.author.email else []
        recipients += list(getattr(settings, "ARTICLES_PUBLISHED_NOTIFY", ()))
        if recipients:
            send_mail(
                f"Published: {article.title}",
                f'"{article.title}" by {article.author.get_username()} was '
                f"published.\n\nRead it here: {link}\n",
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
    return published_now


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        article = Article()
        _save(request, article, form)
        if not form.errors:
            messages.success(
                request,
                (
                    f"“{article}” is published."
                    if article.is_published
                    else f"Draft “{article}” saved."
                ),
            )
            return redirect("articles:detail", slug=article.slug)
    return render(request, "articles/form.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    if not (
        article.author_id == request.user.pk
        or request.user.has_perm("articles.change_article")
    ):
        raise PermissionDenied("Only the author or an editor can edit this article.")
    initial = {
        "title": article.title,
        "body": article.body,
        "status": article.status,
        "tags": ", ".join(tag.name for tag in article.tags.all()),
    }
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        published_now = _save(request, article, form)
        if not form.errors:
            messages.success(
                request,
                (
                    f"“{article}” is published."
                    if published_now
                    else f"“{article}” saved."
                ),
            )
            return redirect("articles:detail", slug=article.slug)
    return render(request, "articles/form.html", {"form": form, "article": article})


@login_required
@require_http_methods(["GET", "POST"])
def article_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    if not (
        article.author_id == request.user.pk
        or request.user.has_perm("articles.delete_article")
    ):
        raise PermissionDenied("Only the author or an editor can delete this article.")
    if request.method == "POST":
        article.delete()
        messages.success(request, f"“{article}” was deleted.")
        return redirect("articles:list")
    return render(request, "articles/confirm_delete.html", {"article": article})


@login_required
@require_POST
@limit_posts("comment", keys=("user",))
def comment_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _get_article(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        if not article.is_published:
            form.add_error("body", "Comments open once the article is published.")
        else:
            Comment.objects.create(
                article=article, author=request.user, body=form.cleaned_data["body"]
            )
            messages.success(
                request, "Thank you: your comment appears once it is approved."
            )
            return redirect("articles:detail", slug=article.slug)
    context = _detail_context(request, article, comment_form=form)
    return render(request, "articles/detail.html", context, status=400)


def _moderated_comment(
    request: AuthenticatedHttpRequest, slug: str, comment_id: int, *, perm: str
) -> tuple[Article, Comment]:
    article = _get_article(request, slug)
    if not (article.author_id == request.user.pk or request.user.has_perm(perm)):
        raise PermissionDenied("Only the author or a moderator can moderate comments.")
    comment = (
        Comment.objects.filter(article=article, pk=comment_id)
        .select_related("author")
        .first()
    )
    if comment is None:
        raise Http404("No comment matches the given query.")
    return article, comment


@login_required
@require_POST
def comment_approve(
    request: AuthenticatedHttpRequest, slug: str, comment_id: int
) -> HttpResponse:
    article, comment = _moderated_comment(
        request, slug, comment_id, perm="articles.change_comment"
    )
    if comment.is_approved:
        messages.success(request, "That comment was approved already.")
    else:
        comment.is_approved = True
        comment.save(update_fields=["is_approved", "updated_at"])
        messages.success(request, f"The comment by {comment.author} is now public.")
    return redirect("articles:detail", slug=article.slug)


@login_required
@require_POST
def comment_delete(
    request: AuthenticatedHttpRequest, slug: str, comment_id: int
) -> HttpResponse:
    article, comment = _moderated_comment(
        request, slug, comment_id, perm="articles.delete_comment"
    )
    comment.delete()
    messages.success(
        request,
        f"The comment by {comment.author} was "
        f"{'removed' if comment.is_approved else 'rejected'}.",
    )
    return redirect("articles:detail", slug=article.slug)
