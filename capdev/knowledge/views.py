"""Knowledge-base pages: the list (filters and full-text search), a lesson, writing and editing
(staff), publishing and unpublishing (staff), and the Action picker of the lesson form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.actions.models import Action
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.pagination import SEARCH_COUNT_LIMIT
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, render_list
from capdev.knowledge import services
from capdev.knowledge.filters import LessonFilter
from capdev.knowledge.forms import LessonForm, UnpublishForm
from capdev.knowledge.models import Lesson, Tag
from capdev.knowledge.querysets import add_card_links, visible_action_ids
from capdev.knowledge.search import add_snippets


def lesson_list_queryset(user: Any) -> Any:
    """The list's rows (without their text); the cards' links are read for the page's rows only
    (`add_card_links`)."""
    return Lesson.objects.visible_to(user).defer("body").order_by("-created_at", "-id")


def _decorate(user: Any) -> Any:
    def decorate(rows: list[Lesson]) -> None:
        add_snippets(rows)
        add_card_links(rows, user)

    return decorate


def lesson_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "knowledge.list")
    filterset = LessonFilter(request.GET, queryset=lesson_list_queryset(request.user), request=request)
    without_action = request.GET.copy()
    for name in ("action", "page"):
        without_action.pop(name, None)
    return render_list(
        request,
        template="knowledge/lesson_list.html",
        partial="knowledge/_lesson_results.html",
        filterset=filterset,
        decorate=_decorate(request.user),
        # A search counts its matches up to SEARCH_COUNT_LIMIT, like the people and organisation
        # searches ("more than 500 results"): the database still ranks every match but sorts only
        # the best 501 (a top-N sort) and sends their keys, not the 13,000 of a common word.
        count_limit=SEARCH_COUNT_LIMIT if filterset.searching else None,
        context={
            "searching": filterset.searching,
            "querystring_without_action": without_action.urlencode(),
            "tag_options": [] if is_partial(request) else _tag_options(request.user),
        },
    )


def _tag_options(user: Any, limit: int = 500) -> list[str]:
    """Tags offered as suggestions in the tag filter (the reader's, alphabetically; the browser
    narrows them down as one types)."""
    return list(Tag.objects.visible_to(user).order_by("key").values_list("name", flat=True)[:limit])


def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_visible_or_404(
        Lesson.objects.select_related("author").prefetch_related("tags", "thematic_areas", "countries"),
        request.user,
        pk=pk,
    )
    require(request.user, "knowledge.view", lesson)
    shown = visible_action_ids(request.user, [lesson])
    actions = lesson.actions.filter(pk__in=shown).select_related("country").order_by("name")
    can_change = can(request.user, "knowledge.change", lesson)
    related = _related(request.user, lesson)
    context = {
        "lesson": lesson,
        "actions": actions,
        "related": related,
        "can_change": can_change,
        "audit_events": (
            AuditEvent.objects.for_object(lesson)[:50]
            if can(request.user, "core.view_audit", lesson)
            else None
        ),
    }
    return render(request, "knowledge/lesson_detail.html", context)


def _related(user: Any, lesson: Lesson, limit: int = 5) -> list[Lesson]:
    """Other lessons sharing a tag or a thematic area, most shared first (one query)."""
    tag_ids = [t.pk for t in lesson.tags.all()]
    area_ids = [a.pk for a in lesson.thematic_areas.all()]
    if not tag_ids and not area_ids:
        return []
    through_tags = Lesson.tags.through.objects.filter(tag_id__in=tag_ids).values("lesson_id")
    through_areas = Lesson.thematic_areas.through.objects.filter(thematicarea_id__in=area_ids).values(
        "lesson_id"
    )
    return list(
        Lesson.objects.visible_to(user)
        .exclude(pk=lesson.pk)
        .filter(Q(pk__in=through_tags) | Q(pk__in=through_areas))
        .only("id", "title", "kind", "language")
        .order_by("-created_at", "-id")[:limit]
    )


@require_http_methods(["GET", "POST"])
def lesson_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "knowledge.add")
    form = LessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("publish") == "1"
        try:
            lesson = services.create_lesson(actor=request.user, published=publish, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if publish:
                messages.success(request, _("Lesson “%(title)s” published.") % {"title": lesson.title})
            else:
                messages.success(request, _("Draft “%(title)s” saved.") % {"title": lesson.title})
            return redirect(lesson)
    return render(request, "knowledge/lesson_form.html", {"form": form, "lesson": None})


@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_visible_or_404(Lesson.objects.all(), request.user, pk=pk)
    require(request.user, "knowledge.change", lesson)
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.update_lesson(lesson, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(lesson)
    return render(request, "knowledge/lesson_form.html", {"form": form, "lesson": lesson})


@require_http_methods(["GET", "POST"])
def lesson_publish(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_visible_or_404(Lesson.objects.all(), request.user, pk=pk)
    require(request.user, "knowledge.change", lesson)
    error = None
    if request.method == "POST":
        try:
            services.publish_lesson(lesson, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Published: everyone logged in can now read it."))
            return redirect(lesson)
    return render(
        request,
        "knowledge/lesson_publication.html",
        {"lesson": lesson, "verb": "publish", "form": None, "error": error},
    )


@require_http_methods(["GET", "POST"])
def lesson_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_visible_or_404(Lesson.objects.all(), request.user, pk=pk)
    require(request.user, "knowledge.change", lesson)
    form = UnpublishForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_lesson(lesson, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Back to draft: only programme staff can read it now."))
            return redirect(lesson)
    return render(
        request,
        "knowledge/lesson_publication.html",
        {"lesson": lesson, "verb": "unpublish", "form": form, "error": error},
    )


def action_options(request: HttpRequest) -> HttpResponse:
    """The lesson form's Action picker: up to 15 Actions whose name matches `q`, as checkboxes,
    leaving out those already chosen."""
    require(request.user, "knowledge.add")
    text = " ".join(request.GET.get("action_q", request.GET.get("q", "")).split())[:100]
    chosen = [v for v in request.GET.getlist("actions") if v.isdigit()]
    options: list[Action] = []
    if text:
        options = list(
            Action.objects.visible_to(request.user)
            .filter(name__icontains=text)
            .exclude(pk__in=chosen)
            .only("id", "name")
            .order_by("name")[:15]
        )
    return render(request, "knowledge/_action_options.html", {"options": options, "q": text})
