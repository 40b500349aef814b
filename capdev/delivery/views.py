"""Session pages: a run's sessions (filterable list), the session page, the forms to plan, change,
cancel and reinstate a session and to add one session per day, the printable timetable, the
calendar feeds (a run's, and each person's, opened by a signed token without a session), the
personal calendar page and the trainer's "today"."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.actions.activity_views import ics_response
from capdev.cohorts.models import CourseRun, RunTrainer
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.roles import roles_of
from capdev.core.views import render_list
from capdev.delivery import calendar, services
from capdev.delivery.filters import SessionFilter
from capdev.delivery.forms import CancelSessionForm, DailySessionsForm, SessionForm
from capdev.delivery.models import Attendance, AttendanceStatus, Session

FEED_PAST_DAYS = 366  # a feed carries the sessions of the past year and everything ahead


def get_run(request: HttpRequest, run_pk: int, perm: str = "delivery.view_sessions") -> CourseRun:
    """The run if the user sees it (else 404) and holds `perm` on it (else 403)."""
    run = get_visible_or_404(
        CourseRun.objects.select_related("course_version", "country"), request.user, pk=run_pk
    )
    require(request.user, perm, run)
    return run


def get_session(request: HttpRequest, pk: int, perm: str = "delivery.view_sessions") -> Session:
    session = get_visible_or_404(
        Session.objects.select_related(
            "run", "run__course_version", "run__country", "part", "destination_country"
        ),
        request.user,
        pk=pk,
    )
    require(request.user, perm, session)
    return session


def with_trainers(sessions: Any) -> Any:
    return sessions.prefetch_related(
        Prefetch("trainers", queryset=RunTrainer.objects.select_related("person").order_by("role", "id"))
    )


def attendance_counts(sessions: list[Session]) -> None:
    """Decorate a page of sessions with the number of marks each has (one query)."""
    ids = [s.pk for s in sessions]
    counts = dict(
        Attendance.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    for s in sessions:
        s.marks_count = counts.get(s.pk, 0)  # type: ignore[attr-defined]


def run_context(request: HttpRequest, run: CourseRun) -> dict[str, Any]:
    user = request.user
    return {
        "run": run,
        "can_manage": can(user, "delivery.manage_sessions", run),
        "can_take_attendance": can(user, "delivery.take_attendance", run),
    }


# --- A run's sessions ----------------------------------------------------------------------------


def session_list(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_run(request, run_pk)
    qs = with_trainers(
        Session.objects.visible_to(request.user)
        .filter(run=run)
        .select_related("part", "destination_country")
        .order_by("date", "start_time", "id")
    )
    context = run_context(request, run)
    context["class_size"] = run.enrolments.active().count()
    return render_list(
        request,
        template="delivery/session_list.html",
        partial="delivery/session_results.html",
        filterset=SessionFilter(request.GET, queryset=qs, request=request),
        context=context,
        decorate=attendance_counts,
    )


def _trainers_from(form: Any) -> list[RunTrainer]:
    return list(form.cleaned_data.get("trainers") or [])


@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_run(request, run_pk, "delivery.manage_sessions")
    from capdev.delivery import timezones

    form = SessionForm(
        request.POST or None,
        run=run,
        initial={"timezone": timezones.default_zone(run), "date": run.start_date, "kind": "face_to_face"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                run, actor=request.user, trainers=_trainers_from(form), **form.values()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Session added."))
            return redirect(session)
    return render(request, "delivery/session_form.html", {**run_context(request, run), "form": form})


@require_http_methods(["GET", "POST"])
def session_daily(request: HttpRequest, run_pk: int) -> HttpResponse:
    """One face-to-face session per day for a part of the course (e.g. the 5 days of a ToT)."""
    run = get_run(request, run_pk, "delivery.manage_sessions")
    form = DailySessionsForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, skipped = services.add_daily_sessions(
                run,
                actor=request.user,
                part=data["part"],
                first_day=data["first_day"],
                days=data["days"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                timezone=data["timezone"],
                room=data["room"],
                skip_weekends=data["skip_weekends"],
                trainers=_trainers_from(form),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("%(added)s sessions added; %(skipped)s days already had one.")
                    % {"added": len(created), "skipped": len(skipped)},
                )
            else:
                messages.info(request, _("Every one of these days already has a session: nothing was added."))
            return redirect("delivery:session-list", run_pk=run.pk)
    return render(request, "delivery/session_daily.html", {**run_context(request, run), "form": form})


def correction_row(event: AuditEvent) -> dict[str, Any]:
    """An audited correction in words: who, when, whose mark, and what changed."""
    labels = dict(AttendanceStatus.choices)
    changes: list[tuple[Any, Any, Any]] = []
    for name, pair in event.changes.items():
        if not isinstance(pair, list) or len(pair) != 2:
            continue  # redacted
        before, after = pair
        if name == "status":
            changes.append((_("Attendance"), labels.get(before, before), labels.get(after, after)))
        elif name == "note":
            changes.append((_("Note"), before or "—", after or "—"))
    return {"at": event.at, "actor": event.actor_repr, "what": event.object_repr, "changes": changes}


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    run = session.run
    context = run_context(request, run)
    trainers = list(session.trainers.select_related("person").order_by("role", "id"))
    corrections = None
    if context["can_take_attendance"]:
        mark_ids = [str(i) for i in Attendance.objects.filter(session=session).values_list("pk", flat=True)]
        events = (
            AuditEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(Attendance),
                object_id__in=mark_ids,
                verb="attendance.corrected",
            ).order_by("-at", "-id")[:50]
            if mark_ids
            else []
        )
        corrections = [correction_row(e) for e in events]
    context.update(
        {
            "session": session,
            "trainers": trainers,
            "corrections": corrections,
            "audit_events": (
                AuditEvent.objects.for_object(session)[:50] if can(request.user, "core.view_audit") else None
            ),
            "marks_count": Attendance.objects.filter(session=session).count(),
            "class_size": run.enrolments.active().count(),
        }
    )
    return render(request, "delivery/session_detail.html", context)


@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk, "delivery.manage_sessions")
    run = session.run
    form = SessionForm(request.POST or None, run=run, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(
                session, actor=request.user, trainers=_trainers_from(form), **form.values()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect(session)
    return render(
        request,
        "delivery/session_form.html",
        {**run_context(request, run), "form": form, "session": session},
    )


@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk, "delivery.manage_sessions")
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(session, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The session is cancelled; the attendance figures were updated."))
            return redirect(session)
    return render(
        request,
        "delivery/session_cancel.html",
        {**run_context(request, session.run), "form": form, "session": session},
    )


@require_POST
def session_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk, "delivery.manage_sessions")
    try:
        services.reinstate_session(session, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The session takes place again; the attendance figures were updated."))
    return redirect(session)


# --- Timetable and calendar feeds --------------------------------------------------------------


def _days(sessions: list[Session]) -> list[dict[str, Any]]:
    days: dict[datetime.date, list[Session]] = {}
    for s in sessions:
        days.setdefault(s.date, []).append(s)
    return [{"date": day, "sessions": items} for day, items in days.items()]


def timetable(request: HttpRequest, run_pk: int) -> HttpResponse:
    """The run's sessions day by day: printable, readable on a phone, with the calendar link."""
    run = get_run(request, run_pk)
    sessions = list(
        with_trainers(
            Session.objects.filter(run=run)
            .select_related("part", "destination_country")
            .order_by("date", "start_time", "id")
        )
    )
    context = run_context(request, run)
    feed_path = reverse("delivery:run-calendar-ics", args=[run.pk])
    context.update(
        {
            "days": _days(sessions),
            "zones": sorted({s.timezone for s in sessions}),
            "show_zone": len({s.timezone for s in sessions}) > 1,
            "feed_url": request.build_absolute_uri(
                f"{feed_path}?token={services.run_feed_token(run, actor=request.user)}"
            ),
        }
    )
    return render(request, "delivery/timetable.html", context)


def _feed_window() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=FEED_PAST_DAYS)


@login_not_required
def run_calendar_ics(request: HttpRequest, run_pk: int) -> HttpResponse:
    """The run's sessions as an iCalendar feed. Calendar applications have no session: the URL
    carries a signed token (revoked when staff or a lead trainer asks for a new link). A
    logged-in user who sees the run may also download it without the token; anything else is
    404."""
    token = request.GET.get("token") or ""
    run = services.run_for_token(token, run_pk) if token else None
    if run is None and not token and request.user.is_authenticated:
        run = CourseRun.objects.visible_to(request.user).filter(pk=run_pk).first()
    if run is None:
        raise Http404
    sessions = calendar.for_calendar(
        Session.objects.filter(run=run, date__gte=_feed_window()).order_by("date", "start_time", "id")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    text = calendar.render(sessions, name=run.title, base_url=base)
    return ics_response(text, f"run-{run.pk}-sessions.ics")


@require_POST
def run_calendar_reset(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = get_run(request, run_pk, "delivery.manage_sessions")
    services.reset_run_feed(run, actor=request.user)
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("delivery:timetable", run_pk=run.pk)


def my_calendar(request: HttpRequest) -> HttpResponse:
    """The user's personal calendar link (every session of the runs they take or train) and
    their next sessions."""
    require(request.user, "delivery.own_calendar")
    person_id = roles_of(request.user).person_id
    context: dict[str, Any] = {"person_id": person_id}
    if person_id is not None:
        person = request.user.person  # type: ignore[union-attr]
        path = reverse("delivery:personal-calendar-ics", args=[person_id])
        token = services.personal_feed_token(person, actor=request.user)
        context.update(
            {
                "feed_url": request.build_absolute_uri(f"{path}?token={token}"),
                "upcoming": list(
                    with_trainers(
                        calendar.feed_sessions_of_person(person)
                        .filter(ends_at__gt=timezone.now())
                        .select_related("run", "part", "destination_country")
                        .order_by("starts_at", "id")
                    )[:10]
                ),
            }
        )
    return render(request, "delivery/my_calendar.html", context)


@require_POST
def my_calendar_reset(request: HttpRequest) -> HttpResponse:
    require(request.user, "delivery.own_calendar")
    if roles_of(request.user).person_id is None:
        raise Http404
    services.reset_personal_feed(request.user.person, actor=request.user)  # type: ignore[union-attr]
    messages.success(request, _("A new calendar link was made; the old one no longer works."))
    return redirect("delivery:my-calendar")


@login_not_required
def personal_calendar_ics(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A person's sessions (the runs they take or train) as an iCalendar feed, opened by its
    token; the person themself may also download it while logged in."""
    token = request.GET.get("token") or ""
    person = services.person_for_token(token, person_pk) if token else None
    if (
        person is None
        and not token
        and request.user.is_authenticated
        and roles_of(request.user).person_id == person_pk
    ):
        person = request.user.person
    if person is None:
        raise Http404
    sessions = calendar.for_calendar(
        calendar.feed_sessions_of_person(person)
        .filter(date__gte=_feed_window())
        .order_by("date", "start_time", "id")
    )
    base = request.build_absolute_uri("/").rstrip("/")
    text = calendar.render(
        sessions, name=_("%(name)s · sessions") % {"name": person.full_name}, base_url=base
    )
    return ics_response(text, "my-sessions.ics")


# --- Today -------------------------------------------------------------------------------------


def today(request: HttpRequest) -> HttpResponse:
    """Today's sessions (each in its own time zone) of the runs the user trains — every run for
    programme staff — with a link to each attendance sheet, then the next sessions."""
    require(request.user, "delivery.today")
    now = timezone.now()
    base = Session.objects.visible_to(request.user)
    if not roles_of(request.user).is_staff:
        base = base.of_runs_trained_by(request.user)
    candidates = with_trainers(
        base.around(timezone.localdate())
        .select_related("run", "part", "destination_country")
        .annotate(marks_count=Count("attendances"))
        .order_by("starts_at", "id")
    )
    sessions = [s for s in candidates if s.date == now.astimezone(s.tz).date()]
    class_sizes = dict(
        CourseRun.objects.filter(pk__in={s.run_id for s in sessions})
        .annotate(n=Count("enrolments", filter=~Q(enrolments__status="withdrawn")))
        .values_list("pk", "n")
    )
    for s in sessions:
        s.class_size = class_sizes.get(s.run_id, 0)
    page = Paginator(sessions, settings.CAPDEV_PAGE_SIZE).get_page(request.GET.get("page"))
    upcoming = list(
        base.filter(cancelled=False, date__gt=timezone.localdate())
        .select_related("run")
        .order_by("starts_at", "id")[:5]
    )
    return render(request, "delivery/today.html", {"page": page, "upcoming": upcoming, "now": now})
