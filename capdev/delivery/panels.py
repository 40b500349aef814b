"""The delivery app's sections of the run page ("Sessions") and of the enrolment page
("Attendance"), registered with capdev.cohorts.panels in DeliveryConfig.ready. Each runs a
constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.cohorts.models import RunTrainer
from capdev.cohorts.panels import Panel, enrolment_panel, run_panel
from capdev.core.permissions import can
from capdev.delivery.models import Attendance, AttendanceStatus, Session

SHOWN = 5


@run_panel("sessions", order=20)
def sessions_panel(request: HttpRequest, run: Any) -> Panel | None:
    """The next and the latest sessions of the run, with links to the timetable, the calendar
    feed and (for those who take attendance) each attendance sheet."""
    user = request.user
    if not can(user, "delivery.view_sessions", run):
        return None
    now = timezone.now()
    base = Session.objects.filter(run=run).select_related("part")
    counts = Session.objects.filter(run=run).values("cancelled").annotate(n=Count("pk")).order_by()
    by_state = {row["cancelled"]: row["n"] for row in counts}
    take = can(user, "delivery.take_attendance", run)
    upcoming = list(base.filter(ends_at__gt=now).order_by("starts_at", "id")[:SHOWN])
    past = list(base.filter(ends_at__lte=now).order_by("-starts_at", "-id")[:SHOWN])
    # One query for the trainers of both lists.
    prefetch_related_objects(
        upcoming + past, Prefetch("trainers", queryset=RunTrainer.objects.select_related("person"))
    )
    if take:
        ids = [s.pk for s in upcoming + past]
        marked = dict(
            Attendance.objects.filter(session_id__in=ids)
            .values("session_id")
            .annotate(n=Count("pk"))
            .order_by()  # the model's ordering would join the sessions, enrolments and people
            .values_list("session_id", "n")
        )
        for s in upcoming + past:
            s.marks_count = marked.get(s.pk, 0)  # type: ignore[attr-defined]
    return Panel(
        title=_("Sessions"),
        template="delivery/_run_sessions.html",
        context={
            "upcoming": upcoming,
            "past": past,
            "session_total": by_state.get(False, 0) + by_state.get(True, 0),
            "session_cancelled": by_state.get(True, 0),
            "can_take_attendance": take,
            "can_manage_sessions": can(user, "delivery.manage_sessions", run),
        },
        action=(_("All sessions"), reverse("delivery:session-list", args=[run.pk])),
    )


@enrolment_panel("attendance", order=20)
def attendance_panel(request: HttpRequest, enrolment: Any) -> Panel | None:
    """Each session of the run with the participant's mark, and their attendance figures."""
    sessions = list(Session.objects.filter(run_id=enrolment.run_id).order_by("date", "start_time", "id"))
    marks = {
        m.session_id: m
        for m in Attendance.objects.filter(enrolment=enrolment, session__run_id=enrolment.run_id)
    }
    now = timezone.now()
    rows = [
        {
            "session": s,
            "mark": marks.get(s.pk),
            "held": not s.cancelled and (s.starts_at <= now or s.attendance_taken_at is not None),
        }
        for s in sessions
    ]
    return Panel(
        title=_("Attendance"),
        template="delivery/_enrolment_attendance.html",
        context={
            "rows": rows,
            "labels": dict(AttendanceStatus.choices),
            "can_take_attendance": can(request.user, "delivery.take_attendance", enrolment),
        },
    )
