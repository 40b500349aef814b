"""The personal spaces (issue 5, section 5) and the staff run overview with its enrolment funnel.

- My learning (participant): my courses with their progress, next sessions, materials through
  each course's online part, my open applications, my calendar link;
- My runs (trainer): today's sessions with their attendance sheets, the runs I train with my
  participants' progress;
- Participants (focal point: my organisation's people; staff: everyone): status and progress;
- Run overview (staff, steering committee): the enrolment funnel of the programme and of each run.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from capdev.cohorts.filters import RunFilter
from capdev.cohorts.models import Application, CourseRun, Enrolment
from capdev.core.permissions import require
from capdev.core.roles import roles_of
from capdev.core.views import paginate, query_without_page, render_list
from capdev.portal import spaces
from capdev.portal.filters import ParticipantFilter


def my_learning(request: HttpRequest) -> HttpResponse:
    require(request.user, "portal.my_learning")
    space = spaces.learner_space(request.user)
    return render(request, "portal/my_learning.html", {"space": space, "now": timezone.now()})


def my_runs(request: HttpRequest) -> HttpResponse:
    require(request.user, "portal.my_runs")
    page = paginate(request, spaces.trained_runs(request.user), 10)
    runs = list(page.object_list)
    spaces.decorate_trained_runs(runs)
    return render(
        request,
        "portal/my_runs.html",
        {
            "today_sessions": spaces.todays_sessions(request.user),
            "page": page,
            "runs": runs,
            "querystring": query_without_page(request),
            "today": timezone.localdate(),
        },
    )


def participant_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "portal.participants")
    qs = (
        Enrolment.objects.visible_to(request.user)
        .select_related("person", "person__organisation", "run")
        .order_by("-run__start_date", "run_id", "person__last_name", "person__first_name", "pk")
    )
    context: dict[str, Any] = {}
    if not roles_of(request.user).is_staff:
        applications = Application.objects.visible_to(request.user)
        context["applicant_counts"] = spaces.application_counts(applications)
    return render_list(
        request,
        template="portal/participant_list.html",
        partial="portal/participant_results.html",
        filterset=ParticipantFilter(request.GET, queryset=qs, request=request),
        context=context,
    )


def run_overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "portal.run_overview")
    qs = CourseRun.objects.visible_to(request.user).select_related("course_version", "country", "host")
    filterset = RunFilter(request.GET, queryset=qs.order_by("-start_date", "pk"), request=request)
    totals = spaces.funnel_counts(filterset.qs)
    return render_list(
        request,
        template="portal/run_overview.html",
        partial="portal/run_overview_results.html",
        filterset=filterset,
        decorate=spaces.decorate_funnel,
        context={"stages": spaces.funnel_stages(totals), "totals": totals},
    )
