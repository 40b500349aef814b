"""Writes on sessions: plan, change, cancel and reinstate a session of a run, and add one session
per day for a face-to-face part.

Rules enforced here (each refusal names the form field it belongs to):

- the run is neither completed nor cancelled (its programme is then closed);
- the date falls within the run's dates; the session ends after it starts, on the same day;
- the times are wall-clock times in the session's time zone (an IANA name, e.g.
  "America/Sao_Paulo"); a time that does not exist that day (clocks moved forward) is refused;
- the delivery part, if given, is a part of the run's course version;
- the trainers are trainers of the run;
- a field trip names its destination city;
- a session whose attendance was taken cannot move to a later day than today;
- a cancelled session is not edited (reinstate it first); cancelling needs a reason.

Cancelling, reinstating or moving a session changes which sessions count, so the attendance
figures of the run's participants are refreshed in the same transaction.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from capdev.cohorts.models import CourseRun, RunStatus, RunTrainer
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.delivery import timezones
from capdev.delivery.models import Session, SessionKind

FIELDS = [
    "kind",
    "title",
    "part",
    "date",
    "start_time",
    "end_time",
    "timezone",
    "room",
    "online_link",
    "host_institution",
    "destination_city",
    "destination_country",
    "notes",
]
REQUIRED = ("date", "start_time", "end_time")
CLOSED_RUN = (RunStatus.COMPLETED, RunStatus.CANCELLED)
MAX_DAILY_SESSIONS = 60


def _check_fields(values: dict[str, Any]) -> None:
    unknown = {k for k in values if k not in FIELDS and k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _check_run_open(run: CourseRun) -> None:
    if run.status in CLOSED_RUN:
        raise ConflictError(
            _("This run is %(status)s: its sessions can no longer be planned or changed.")
            % {"status": run.get_status_display().lower()}
        )


def utc_moment(day: datetime.date, time: datetime.time, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(datetime.UTC)


def _check_time_exists(day: datetime.date, time: datetime.time, zone: str, field: str) -> None:
    """A wall-clock time skipped when clocks go forward does not exist: refuse it rather than
    silently moving the session by an hour."""
    local = datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))
    back = local.astimezone(datetime.UTC).astimezone(zoneinfo.ZoneInfo(zone))
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(
            _("%(time)s does not exist on %(date)s in %(zone)s (the clocks go forward): choose another time.")
            % {"time": time.strftime("%H:%M"), "date": day.isoformat(), "zone": zone},
            field=field,
        )


def _check_session(run: CourseRun, session: Session, trainers: Iterable[RunTrainer] | None) -> None:
    for name in REQUIRED:
        if getattr(session, name) in (None, ""):
            raise DomainError(_("This field is required."), field=name)
    if not (run.start_date <= session.date <= run.end_date):
        raise DomainError(
            _("The session must fall within the run's dates (%(start)s to %(end)s).")
            % {"start": run.start_date.isoformat(), "end": run.end_date.isoformat()},
            field="date",
        )
    if session.end_time <= session.start_time:
        raise DomainError(_("The session must end after it starts, on the same day."), field="end_time")
    if not timezones.is_valid(session.timezone):
        raise DomainError(
            _("Unknown time zone “%(zone)s”: choose one from the list, e.g. “America/Sao_Paulo”.")
            % {"zone": session.timezone},
            field="timezone",
        )
    _check_time_exists(session.date, session.start_time, session.timezone, "start_time")
    _check_time_exists(session.date, session.end_time, session.timezone, "end_time")
    if session.kind not in SessionKind.values:
        raise DomainError(_("Choose the kind of session."), field="kind")
    if session.part is not None and session.part.version_id != run.course_version_id:
        raise DomainError(_("Choose a part of this run's course."), field="part")
    if session.kind == SessionKind.FIELD_TRIP and not session.destination_city.strip():
        raise DomainError(
            _("A field trip needs its destination city (and, if known, the institution visited)."),
            field="destination_city",
        )
    if trainers is not None:
        strangers = [t for t in trainers if t.run_id != run.pk]
        if strangers:
            raise DomainError(
                _("Only trainers of this run can lead its sessions: %(names)s is not one.")
                % {"names": ", ".join(str(t.person) for t in strangers)},
                field="trainers",
            )
    session.starts_at = utc_moment(session.date, session.start_time, session.timezone)
    session.ends_at = utc_moment(session.date, session.end_time, session.timezone)


NULLABLE = ("part", "destination_country", "date", "start_time", "end_time")


def _assign(session: Session, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(session, name, "" if value is None and name.removesuffix("_id") not in NULLABLE else value)


def _snapshot(session: Session, trainers: Iterable[RunTrainer] | None = None) -> dict[str, Any]:
    data = audit.snapshot(session, FIELDS)
    if trainers is not None:
        data["trainers"] = sorted(str(t.person) for t in trainers)
    return data


def _created(session: Session, trainers: list[RunTrainer]) -> dict[str, list[Any]]:
    """The values a new session was given (empty ones left out)."""
    return {k: [None, v] for k, v in _snapshot(session, trainers).items() if v not in (None, "", [])}


def _refresh(run: CourseRun) -> None:
    from capdev.delivery.services.attendance import refresh_run_attendance

    refresh_run_attendance(run)


@transaction.atomic
def create_session(
    run: CourseRun, *, actor: Any, trainers: Iterable[RunTrainer] | None = None, **values: Any
) -> Session:
    """Plan a session of `run` (see the module's rules). The time zone defaults to the one
    proposed for the run (timezones.default_zone)."""
    _check_fields(values)
    run = CourseRun.objects.get(pk=run.pk)
    _check_run_open(run)
    values["kind"] = values.get("kind") or SessionKind.FACE_TO_FACE
    values["timezone"] = values.get("timezone") or timezones.default_zone(run)
    trainer_list = list(trainers or [])
    session = Session(run=run, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    _assign(session, values)
    _check_session(run, session, trainer_list)
    session.save()
    if trainer_list:
        session.trainers.set(trainer_list)
    audit.record(actor, "session.created", session, changes=_created(session, trainer_list))
    if session.starts_at <= dj_timezone.now():
        _refresh(run)  # a session added after the fact counts at once
    return session


@transaction.atomic
def update_session(
    session: Session, *, actor: Any, trainers: Iterable[RunTrainer] | None = None, **values: Any
) -> Session:
    """Change a session that is not cancelled. A session whose attendance was taken cannot move
    to a day after today (its marks would then describe a meeting that has not happened)."""
    _check_fields(values)
    session = Session.objects.select_for_update(of=("self",)).select_related("run", "part").get(pk=session.pk)
    run = session.run
    _check_run_open(run)
    if session.cancelled:
        raise ConflictError(_("This session is cancelled: reinstate it before changing it."))
    old_trainers = list(session.trainers.select_related("person"))
    before = _snapshot(session, old_trainers)
    old_start, old_end = session.starts_at, session.ends_at
    _assign(session, values)
    new_trainers = list(trainers) if trainers is not None else None
    _check_session(run, session, new_trainers)
    local_today = dj_timezone.now().astimezone(session.tz).date()
    if session.attendance_taken_at is not None and session.date > local_today:
        raise DomainError(
            _(
                "Attendance was already taken for this session, so it cannot move to a day after today. "
                "Cancel it and plan a new session instead."
            ),
            field="date",
        )
    session.save()
    if new_trainers is not None:
        session.trainers.set(new_trainers)
    after = _snapshot(session, new_trainers if new_trainers is not None else old_trainers)
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, "session.updated", session, changes=changes)
    if (session.starts_at, session.ends_at) != (old_start, old_end):
        _refresh(run)
    return session


@transaction.atomic
def cancel_session(session: Session, *, actor: Any, reason: str) -> Session:
    """Cancel a session, with a reason. Its attendance marks are kept but no longer count: the
    figures of the run's participants are refreshed."""
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for cancelling the session."), field="reason")
    session = Session.objects.select_for_update(of=("self",)).select_related("run").get(pk=session.pk)
    _check_run_open(session.run)
    if session.cancelled:
        raise ConflictError(_("This session is already cancelled."))
    session.cancelled = True
    session.cancellation_reason = reason.strip()
    session.cancelled_at = dj_timezone.now()
    session.save(update_fields=["cancelled", "cancellation_reason", "cancelled_at", "updated_at"])
    audit.record(
        actor,
        "session.cancelled",
        session,
        changes={"cancelled": [False, True]},
        data={"reason": session.cancellation_reason},
    )
    _refresh(session.run)
    return session


@transaction.atomic
def reinstate_session(session: Session, *, actor: Any) -> Session:
    """Undo a cancellation: the session (and its attendance marks) count again."""
    session = Session.objects.select_for_update(of=("self",)).select_related("run").get(pk=session.pk)
    _check_run_open(session.run)
    if not session.cancelled:
        raise ConflictError(_("This session is not cancelled."))
    reason = session.cancellation_reason
    session.cancelled = False
    session.cancellation_reason = ""
    session.cancelled_at = None
    session.save(update_fields=["cancelled", "cancellation_reason", "cancelled_at", "updated_at"])
    audit.record(
        actor,
        "session.reinstated",
        session,
        changes={"cancelled": [True, False]},
        data={"cancelled_for": reason},
    )
    _refresh(session.run)
    return session


def daily_dates(first_day: datetime.date, days: int, *, skip_weekends: bool) -> list[datetime.date]:
    """`days` consecutive days from `first_day`, leaving out Saturdays and Sundays if asked."""
    dates: list[datetime.date] = []
    day = first_day
    while len(dates) < days:
        if not (skip_weekends and day.weekday() >= 5):
            dates.append(day)
        day += datetime.timedelta(days=1)
    return dates


@transaction.atomic
def add_daily_sessions(
    run: CourseRun,
    *,
    actor: Any,
    part: Any,
    first_day: datetime.date,
    days: int,
    start_time: datetime.time,
    end_time: datetime.time,
    timezone: str = "",
    room: str = "",
    skip_weekends: bool = True,
    trainers: Iterable[RunTrainer] | None = None,
) -> tuple[list[Session], list[datetime.date]]:
    """One face-to-face session per day of a part of the course (the 5 face-to-face days of a
    Training of Trainers), titled "Day 1", "Day 2"... in the run's language. Days on which the
    run already has a session of that part are left alone. Returns the sessions added and the
    days skipped because they already had one. All or nothing: any refusal adds no session."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    _check_run_open(run)
    if part is None or part.version_id != run.course_version_id:
        raise DomainError(_("Choose a part of this run's course."), field="part")
    if not days or days < 1 or days > MAX_DAILY_SESSIONS:
        raise DomainError(
            _("Give a number of days between 1 and %(max)s.") % {"max": MAX_DAILY_SESSIONS}, field="days"
        )
    dates = daily_dates(first_day, days, skip_weekends=skip_weekends)
    if dates[0] < run.start_date or dates[-1] > run.end_date:
        raise DomainError(
            _(
                "These %(days)s days (%(first)s to %(last)s) do not fit within the run's dates "
                "(%(start)s to %(end)s): change the first day or the number of days."
            )
            % {
                "days": days,
                "first": dates[0].isoformat(),
                "last": dates[-1].isoformat(),
                "start": run.start_date.isoformat(),
                "end": run.end_date.isoformat(),
            },
            field="first_day",
        )
    zone = timezone or timezones.default_zone(run)
    trainer_list = list(trainers or [])
    taken = set(
        Session.objects.filter(run=run, part=part, cancelled=False, date__in=dates).values_list(
            "date", flat=True
        )
    )
    language = run.language if run.language in dict(_languages()) else None
    sessions: list[Session] = []
    for number, day in enumerate(dates, start=1):
        if day in taken:
            continue
        with override(language):
            title = _("Day %(number)s") % {"number": number}
        session = Session(
            run=run,
            kind=SessionKind.FACE_TO_FACE,
            part=part,
            title=title,
            date=day,
            start_time=start_time,
            end_time=end_time,
            timezone=zone,
            room=room,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _check_session(run, session, trainer_list)
        sessions.append(session)
    created = Session.objects.bulk_create(sessions)
    if trainer_list and created:
        through = Session.trainers.through
        through.objects.bulk_create(
            [through(session_id=s.pk, runtrainer_id=t.pk) for s in created for t in trainer_list]
        )
    audit.record_many(
        audit.build(actor, "session.created", s, changes=_created(s, trainer_list)) for s in created
    )
    if any(s.starts_at <= dj_timezone.now() for s in created):
        _refresh(run)
    return created, sorted(taken)


def _languages() -> list[tuple[str, Any]]:
    from django.conf import settings

    return list(settings.LANGUAGES)
