"""HTTP boundary of the articles app: read the request, call the layers, respond.

Anyone reads published articles. A draft is a 404 to whoever may not see it
(``selectors.get_article`` returns ``None`` to them), exactly like a slug that
does not exist; a signed-in user who sees an article but may not change it
gets 403. Anonymous users are sent to log in before any article is looked up,
so those answers cannot tell a draft from a missing slug either.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import permissions, selectors
from articles.forms import ArticleFilterForm, ArticleForm, CommentForm
from articles.models import Article, Comment
from articles.services import (
    add_comment,
    approve_comment,
    create_article,
    delete_article,
    delete_comment,
    update_article,
)
from core.exceptions import ConflictError, DomainError
from core.forms import add_domain_error
from core.http import found_or_404
from core.pagination import CappedPaginator
from core.rate_limits import limit_posts
from users.types import AuthenticatedHttpRequest

ARTICLES_PER_PAGE = 10


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET, tags=selectors.list_tags(user=request.user))
    filters = form.filters()
    articles = selectors.list_articles(user=request.user, filters=filters)
    page_obj = CappedPaginator(articles, ARTICLES_PER_PAGE).get_page(form.page_number())
    context = {
        "form": form,
        "page_obj": page_obj,
        "articles": page_obj.object_list,
        "q": filters.q,
        "tag": filters.tag or "",
        "can_create": permissions.can_create_article(user=request.user),
    }
    return render(request, "articles/list.html", context)


def _get_article_or_404(request: HttpRequest, slug: str) -> Article:
    article = selectors.get_article(user=request.user, slug=slug)
    return found_or_404(article, name="article")


def _detail_context(
    request: HttpRequest, article: Article, comment_form: CommentForm | None = None
) -> dict[str, Any]:
    user = request.user
    can_approve = permissions.can_approve_comments(user=user, article=article)
    can_remove = permissions.can_delete_comments(user=user, article=article)
    can_comment = permissions.can_comment_on_article(user=user, article=article)
    return {
        "article": article,
        "comments": selectors.list_approved_comments(article=article),
        "pending_comments": (
            selectors.list_pending_comments(article=article)
            if permissions.can_view_pending_comments(user=user, article=article)
            else []
        ),
        "can_edit": permissions.can_edit_article(user=user, article=article),
        "can_delete": permissions.can_delete_article(user=user, article=article),
        "can_approve": can_approve,
        "can_remove_comments": can_remove,
        # A form sent back with its errors is shown even where comments are
        # closed, so the person reads why.
        "comment_form": comment_form or (CommentForm() if can_comment else None),
    }


@require_GET
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = _get_article_or_404(request, slug)
    return render(request, "articles/detail.html", _detail_context(request, article))


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = create_article(actor=request.user, data=form.to_input())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            article = result.article
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
    article = _get_article_or_404(request, slug)
    if not permissions.can_edit_article(user=request.user, article=article):
        raise PermissionDenied("Only the author or an editor can edit this article.")
    form = ArticleForm(request.POST or None, initial=ArticleForm.initial_for(article))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = update_article(
                actor=request.user,
                article=article,
                data=form.to_input(),
                version=form.edit_version(),
            )
        except ConflictError as error:
            # Someone changed the article since the form was loaded, or deleted it.
            current = selectors.get_article(user=request.user, slug=slug)
            if current is None:
                messages.error(request, error.message)
                return redirect("articles:list")
            add_domain_error(form, error)
            form.restart_from(current)
            article, status = current, 409
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                (
                    f"“{result.article}” is published."
                    if result.published_now
                    else f"“{result.article}” saved."
                ),
            )
            return redirect("articles:detail", slug=result.article.slug)
    return render(
        request,
        "articles/form.html",
        {"form": form, "article": article},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_delete(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _get_article_or_404(request, slug)
    if not permissions.can_delete_article(user=request.user, article=article):
        raise PermissionDenied("Only the author or an editor can delete this article.")
    if request.method == "POST":
        delete_article(actor=request.user, article=article)
        messages.success(request, f"“{article}” was deleted.")
        return redirect("articles:list")
    return render(request, "articles/confirm_delete.html", {"article": article})


@login_required
@require_POST
@limit_posts("comment", keys=("user",))
def comment_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    article = _get_article_or_404(request, slug)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            add_comment(
                actor=request.user, article=article, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Thank you: your comment appears once it is approved."
            )
            return redirect("articles:detail", slug=article.slug)
    context = _detail_context(request, article, comment_form=form)
    return render(request, "articles/detail.html", context, status=400)


def _moderated_comment(
    request: AuthenticatedHttpRequest,
    slug: str,
    comment_id: int,
    *,
    may: Callable[..., bool],
) -> tuple[Article, Comment]:
    """The article and its comment, for someone ``may(user=, article=)`` allows."""
    article = _get_article_or_404(request, slug)
    if not may(user=request.user, article=article):
        raise PermissionDenied("Only the author or a moderator can moderate comments.")
    comment = found_or_404(
        selectors.get_comment(article=article, comment_id=comment_id), name="comment"
    )
    return article, comment


@login_required
@require_POST
def comment_approve(
    request: AuthenticatedHttpRequest, slug: str, comment_id: int
) -> HttpResponse:
    article, comment = _moderated_comment(
        request, slug, comment_id, may=permissions.can_approve_comments
    )
    try:
        result = approve_comment(actor=request.user, comment=comment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                f"The comment by {comment.author} is now public."
                if result.approved_now
                else "That comment was approved already."
            ),
        )
    return redirect("articles:detail", slug=article.slug)


@login_required
@require_POST
def comment_delete(
    request: AuthenticatedHttpRequest, slug: str, comment_id: int
) -> HttpResponse:
    """Reject a comment waiting for approval, or remove an approved one."""
    article, comment = _moderated_comment(
        request, slug, comment_id, may=permissions.can_delete_comments
    )
    delete_comment(actor=request.user, comment=comment)
    messages.success(
        request,
        f"The comment by {comment.author} was "
        f"{'removed' if comment.is_approved else 'rejected'}.",
    )
    return redirect("articles:detail", slug=article.slug)
