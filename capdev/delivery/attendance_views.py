"""Attendance pages: the attendance sheet of a session (the whole class on one screen, saved in
one request, with or without JavaScript), the sign-in sheet PDF, the printable attendance summary
of a run (participants × sessions), and the filterable list of attendance marks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.cohorts.models import Enrolment
from capdev.core.errors import DomainError
from capdev.core.permissions import require
from capdev.core.views import is_partial, render_list
from capdev.delivery import pdf, services
from capdev.delivery.filters import AttendanceFilter
from capdev.delivery.models import ATTENDED, Attendance, AttendanceStatus, Session, status_abbreviations
from capdev.delivery.views import get_run, get_session, run_context

STATUS_STYLES: dict[str, str] = {
    AttendanceStatus.PRESENT: "success",
    AttendanceStatus.LATE: "warning",
    AttendanceStatus.ABSENT: "danger",
    AttendanceStatus.EXCUSED: "secondary",
}


def enrolment_url(enrolment: Any) -> str:
    """The enrolment page, where staff admit a participant without the online part ("" until
    the cohorts pages exist)."""
    try:
        return str(enrolment.get_absolute_url())
    except NoReverseMatch:
        return ""


def _sheet_rows(
    session: Session,
    enrolments: Iterable[Any],
    *,
    gated: bool,
    chosen: dict[int, tuple[str, str]] | None = None,
    preset: str = "",
) -> list[dict[str, Any]]:
    rows = []
    for e in enrolments:
        blocked = gated and services.not_cleared(e)
        status, note = e.mark_status or "", e.mark_note or ""
        if chosen is not None and e.pk in chosen:
            status, note = chosen[e.pk]
        elif preset and not (blocked and preset in ATTENDED):
            status = preset
        rows.append(
            {
                "enrolment": e,
                "person": e.person,
                "status": status,
                "saved_status": e.mark_status or "",
                "note": note,
                "blocked": blocked,
                "enrolment_url": enrolment_url(e) if blocked else "",
            }
        )
    return rows


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    counts["unmarked"] = 0
    for row in rows:
        counts[row["status"] or "unmarked"] += 1
    return counts


def _submitted(request: HttpRequest, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    return {
        pk: (
            (request.POST.get(f"status-{pk}") or "").strip(),
            (request.POST.get(f"note-{pk}") or "").strip(),
        )
        for pk in ids
    }


@require_http_methods(["GET", "POST"])
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the class with each participant's mark (`?preset=present` proposes "present" for
    everyone the gate allows, without saving). POST: every mark of the sheet in one request;
    htmx gets the sheet back, a plain form post is redirected to it."""
    session = get_session(request, pk, "delivery.take_attendance")
    run = session.run
    gated = services.gate_applies(session, services.gating_part(run.course_version_id))
    enrolments = list(services.sheet_rows(session))
    chosen: dict[int, tuple[str, str]] | None = None
    error = ""
    saved = None
    refusal = ""
    try:
        services.check_can_take_attendance(session)
    except DomainError as exc:
        refusal = exc.message
    if request.method == "POST" and not refusal:
        ids = [e.pk for e in enrolments if f"status-{e.pk}" in request.POST or f"note-{e.pk}" in request.POST]
        chosen = _submitted(request, ids)
        try:
            saved = services.mark_attendance(session, chosen, actor=request.user)
        except DomainError as exc:
            error = exc.message
        else:
            summary = _(
                "Attendance saved: %(new)s marked, %(corrected)s corrected, %(unchanged)s unchanged."
            ) % {
                "new": saved.created,
                "corrected": saved.corrected,
                "unchanged": saved.unchanged,
            }
            if not is_partial(request):
                messages.success(request, summary)
                return redirect("delivery:attendance-sheet", pk=session.pk)
            enrolments = list(services.sheet_rows(session))
            session.refresh_from_db(fields=["attendance_taken_at"])
            chosen = None
            saved.summary = summary  # type: ignore[attr-defined]
    preset = request.GET.get("preset", "") if request.GET.get("preset") in AttendanceStatus.values else ""
    rows = _sheet_rows(session, enrolments, gated=gated, chosen=chosen, preset=preset)
    context = {
        **run_context(request, run),
        "session": session,
        "rows": rows,
        "counts": _counts(rows),
        "statuses": [(value, label, STATUS_STYLES[value]) for value, label in AttendanceStatus.choices],
        "attended": [str(s) for s in ATTENDED],
        "gated": gated,
        "blocked_count": sum(1 for r in rows if r["blocked"]),
        "error": error,
        "saved": saved,
        "refusal": refusal,
        "preset": preset,
        "trainers": list(session.trainers.select_related("person").order_by("role", "id")),
    }
    template = "delivery/_attendance_form.html" if is_partial(request) else "delivery/attendance_sheet.html"
    return render(request, template, context)


def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's sign-in sheet as a PDF (A4, in the run's language)."""
    session = get_session(request, pk, "delivery.take_attendance")
    participants = list(services.sheet_rows(session))
    trainers = list(session.trainers.select_related("person").order_by("role", "id"))
    content = pdf.sign_in_sheet_pdf(session, participants, trainers)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"sign-in-{session.run.code}-{session.date:%Y-%m-%d}-{session.start_time:%H%M}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, name) or "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attendance_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The run's participants × sessions grid with each participant's figures (print view)."""
    run = get_run(request, pk, "delivery.take_attendance")
    sessions = list(Session.objects.filter(run=run).order_by("date", "start_time", "id"))
    enrolments = list(
        Enrolment.objects.filter(run=run)
        .active()
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "id")
    )
    marks: dict[tuple[int, int], str] = {
        (session_id, enrolment_id): status
        for session_id, enrolment_id, status in Attendance.objects.filter(
            session__in=[s.pk for s in sessions]
        ).values_list("session_id", "enrolment_id", "status")
    }
    labels: dict[str, str] = {str(k): str(v) for k, v in AttendanceStatus.choices}
    abbreviations = status_abbreviations()
    grid = [
        {
            "enrolment": e,
            "cells": [
                {
                    "session": s,
                    "status": marks.get((s.pk, e.pk), ""),
                    "label": labels.get(marks.get((s.pk, e.pk), ""), ""),
                    "abbreviation": abbreviations.get(marks.get((s.pk, e.pk), ""), ""),
                }
                for s in sessions
            ],
        }
        for e in enrolments
    ]
    totals = []
    for s in sessions:
        present = sum(1 for e in enrolments if marks.get((s.pk, e.pk)) in ATTENDED)
        totals.append({"session": s, "attended": present})
    return render(
        request,
        "delivery/attendance_summary.html",
        {
            **run_context(request, run),
            "sessions": sessions,
            "grid": grid,
            "totals": totals,
            "styles": STATUS_STYLES,
            "statuses": [(v, label, abbreviations[v]) for v, label in AttendanceStatus.choices],
        },
    )


def attendance_list(request: HttpRequest) -> HttpResponse:
    """Attendance marks the user may see (their runs, their organisations' people), filterable."""
    require(request.user, "delivery.list_attendance")
    qs = (
        Attendance.objects.visible_to(request.user)
        .select_related(
            "session", "session__run", "enrolment__person", "enrolment__person__organisation", "marked_by"
        )
        .order_by("-session__starts_at", "-session_id", "-enrolment_id")
    )
    return render_list(
        request,
        template="delivery/attendance_list.html",
        partial="delivery/attendance_results.html",
        filterset=AttendanceFilter(request.GET, queryset=qs, request=request),
        context={"styles": STATUS_STYLES},
    )
