"""The participants' progress in a run's online part: one row per participant (the figures on
the enrolment), filterable by state and name, paginated; focal points see their own
organisation's participants only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch

from capdev.cohorts.models import CourseRun, Enrolment
from capdev.core.permissions import get_visible_or_404, require
from capdev.core.views import render_list
from capdev.learning.filters import OnlineProgressFilter
from capdev.learning.panels import progress_counts
from capdev.learning.services import online_content


def _run_url(run: CourseRun) -> str | None:
    """The run's page in the cohorts app (None while that app does not serve one)."""
    try:
        return run.get_absolute_url()
    except NoReverseMatch:
        return None


def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(CourseRun.objects.select_related("course_version"), request.user, pk=pk)
    require(request.user, "learning.view_run_progress", run)
    enrolments = Enrolment.objects.visible_to(request.user).filter(run=run)
    qs = (
        enrolments.exclude(status="withdrawn")
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return render_list(
        request,
        template="learning/run_progress.html",
        partial="learning/_run_progress_results.html",
        filterset=OnlineProgressFilter(request.GET, queryset=qs, request=request),
        context={
            "run": run,
            "run_url": _run_url(run),
            "counts": progress_counts(enrolments),
            "content": online_content(run.course_version_id),
        },
    )
