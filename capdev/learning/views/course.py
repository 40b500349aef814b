"""The participant's side: "My online courses", the course page of one enrolment, a lesson and
"Mark as done". Staff, the run's trainers and focal points who see the enrolment see the same
pages read-only. No JavaScript: light pages for a phone and a slow connection."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from capdev.cohorts.models import Enrolment
from capdev.core.errors import DomainError
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import roles_of
from capdev.core.views import render_list
from capdev.learning import services
from capdev.learning.course import course_outline
from capdev.learning.filters import OnlineProgressFilter
from capdev.learning.models import OnlineLesson
from capdev.learning.views.common import lesson_context


def get_enrolment(request: HttpRequest, pk: int, perm: str = "learning.view_course") -> Enrolment:
    enrolment = get_visible_or_404(
        Enrolment.objects.select_related("run", "run__course_version", "person"), request.user, pk=pk
    )
    require(request.user, perm, enrolment)
    return enrolment


def my_courses(request: HttpRequest) -> HttpResponse:
    """The user's own enrolments with their online progress."""
    person_id = roles_of(request.user).person_id
    qs = (
        Enrolment.objects.filter(person_id=person_id)
        .exclude(status="withdrawn")
        .select_related("run")
        .order_by("-run__start_date", "pk")
        if person_id
        else Enrolment.objects.none()
    )
    return render_list(
        request,
        template="learning/my_courses.html",
        partial="learning/_my_courses_results.html",
        filterset=OnlineProgressFilter(request.GET, queryset=qs, request=request),
    )


def course(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    outline = course_outline(enrolment, request=request)
    return render(
        request,
        "learning/course.html",
        {
            "enrolment": enrolment,
            "run": enrolment.run,
            "outline": outline,
            "can_take": can(request.user, "learning.take", enrolment),
            "can_play": can(request.user, "learning.play", enrolment),
            "is_own": enrolment.person_id == roles_of(request.user).person_id,
        },
    )


def _course_lesson(enrolment: Enrolment, lesson_pk: int) -> OnlineLesson:
    lesson = (
        OnlineLesson.objects.online()
        .select_related("module", "module__part")
        .filter(pk=lesson_pk, module__version_id=enrolment.run.course_version_id)
        .first()
    )
    if lesson is None:
        raise Http404
    return lesson


def lesson(request: HttpRequest, pk: int, lesson: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk)
    item = _course_lesson(enrolment, lesson)
    can_take = can(request.user, "learning.take", enrolment)
    progress = None
    if can_take:
        progress = services.open_lesson(enrolment, item, actor=request.user)
    else:
        progress = item.progress.filter(enrolment=enrolment).first()
    outline = course_outline(enrolment, request=request, with_materials=False)
    previous, following = outline.neighbours(item.pk)
    return render(
        request,
        "learning/lesson.html",
        {
            **lesson_context(item, request=request, run_language=enrolment.run.language),
            "enrolment": enrolment,
            "run": enrolment.run,
            "module": item.module,
            "progress": progress,
            "can_take": can_take,
            "previous": previous,
            "next": following,
        },
    )


@require_POST
def lesson_done(request: HttpRequest, pk: int, lesson: int) -> HttpResponse:
    enrolment = get_enrolment(request, pk, "learning.take")
    item = _course_lesson(enrolment, lesson)
    try:
        services.complete_lesson(enrolment, item, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("learning:course-lesson", enrolment.pk, item.pk)
    enrolment.refresh_from_db(fields=["online_progress", "online_completed_at"])
    if enrolment.online_completed_at is not None:
        messages.success(request, _("Lesson done. You have completed the online part."))
    else:
        messages.success(
            request,
            _("Lesson done. You have done %(p)s %% of the online part.") % {"p": enrolment.online_progress},
        )
    target = request.POST.get("next")
    if target and target.isdigit():
        return redirect("learning:course-lesson", enrolment.pk, int(target))
    return redirect(reverse("learning:course", args=[enrolment.pk]) + f"#module-{item.module_id}")
