"""Shared view helpers (htmx-aware filtered lists) and the error pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.views.decorators.csrf import requires_csrf_token

from capdev.core.pagination import DeferredJoinPaginator, RankedSearchPaginator

__all__ = ["DeferredJoinPaginator", "is_partial", "paginate", "query_without_page", "render_list"]


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that is not a boosted navigation gets only the page's partial."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def paginate(
    request: HttpRequest,
    queryset: QuerySet[Any],
    per_page: int | None = None,
    *,
    count_limit: int | None = None,
    ranked: bool = False,
) -> Page:
    """The requested page of `queryset`. `count_limit` caps the count of a free-text search
    ("more than N results"); `ranked` is for a search ordered by relevance, which reads every
    match anyway and counts them in the same query (see core/pagination.py)."""
    number = request.GET.get("page")
    size = per_page or settings.CAPDEV_PAGE_SIZE
    paginator: DeferredJoinPaginator
    if ranked:
        paginator = RankedSearchPaginator(queryset, size)
    else:
        paginator = DeferredJoinPaginator(queryset, size, count_limit=count_limit, page_hint=number)
    return paginator.get_page(number)


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def render_list(
    request: HttpRequest,
    *,
    template: str,
    partial: str,
    filterset: Any,
    context: dict[str, Any] | None = None,
    per_page: int | None = None,
    decorate: Callable[[list[Any]], None] | None = None,
    count_limit: int | None = None,
    ranked: bool = False,
) -> HttpResponse:
    """Render a filtered, paginated list: the full page, or only the results for htmx.

    `decorate(rows)` may add per-row figures computed for the page's rows only (one query for the
    page, instead of an annotation over the whole table). `count_limit`, `ranked`: see
    `paginate`."""
    page = paginate(request, filterset.qs, per_page, count_limit=count_limit, ranked=ranked)
    if decorate is not None:
        decorate(list(page.object_list))
    ctx = {
        "filter": filterset,
        "page": page,
        "object_list": page.object_list,
        "querystring": query_without_page(request),
        "results_template": partial,
        **(context or {}),
    }
    return render(request, partial if is_partial(request) else template, ctx)


@requires_csrf_token
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/403.html", status=403).render()


@requires_csrf_token
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/404.html", status=404).render()


@requires_csrf_token
def error_500(request: HttpRequest) -> HttpResponse:
    # Minimal context: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"request": request}), status=500)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return TemplateResponse(request, "errors/400.html", status=400).render()
