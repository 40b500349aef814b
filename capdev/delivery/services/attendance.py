"""Marking attendance for a whole class in one request, corrections, the online-part gate, and the
attendance figures of each enrolment.

**Marking** (`mark_attendance`): the marks of a session arrive together (the attendance sheet or
the API's bulk endpoint). In a constant number of queries whatever the class size: the session
row is locked, one read fetches the enrolments with their current mark, one INSERT adds the new
marks, one UPDATE changes the corrected ones, one INSERT records an audit event per correction
(status and note before → after), and the figures are refreshed (one read, one UPDATE). A mark
that does not change records nothing. Refusals (all or nothing): a cancelled session, a session
whose day has not come yet, a participant who is not in the run or has withdrawn, an unknown
status, and the gate below.

**The gate**: when the run's course version has an online self-paced part that must be completed
before the next part (`gates_next`), a participant may be marked present or late at an in-person
session (face-to-face or field trip) only if the online part is completed or programme staff
admitted them without it (`Enrolment.cleared_for_face_to_face`). Absent and excused may always
be recorded. Sessions of the online part itself, or of a part before it, and live online meetings
are not gated.

**The figures** (`refresh_attendance`), on `cohorts.Enrolment`:

- sessions counted = sessions of the run held so far (not cancelled, and started — or with
  attendance taken) − the participant's excused absences at those sessions;
- sessions attended = the participant's marks "present" or "late" at those sessions;
- attendance rate = attended ÷ counted × 100, rounded to two decimals; empty while nothing counts.

A held session where the participant has no mark counts as not attended: the figures show an
unmarked session at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, FilteredRelation, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capdev.catalogue.models import DeliveryPart, PartKind
from capdev.cohorts.models import CourseRun, Enrolment, EnrolmentStatus, RunStatus
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError
from capdev.delivery.models import ATTENDED, Attendance, AttendanceStatus, Session
from capdev.learning.services.progress import has_online_content

NOTE_MAX = 255
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class Mark:
    """One participant's mark as submitted: an enrolment id, a status and an optional note."""

    enrolment: int
    status: str
    note: str = ""


@dataclass
class MarkResult:
    session: Session
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --- The gate ------------------------------------------------------------------------------------


def gating_part(version_id: int) -> DeliveryPart | None:
    """The online self-paced part that must be completed before the next one, if any. A version
    whose online part has nothing to take in capdev (no lesson, no SCORM package) gates nothing:
    no one could ever complete it (learning.services.has_online_content)."""
    gate = (
        DeliveryPart.objects.filter(version_id=version_id, kind=PartKind.ONLINE_SELF_PACED, gates_next=True)
        .order_by("position")
        .first()
    )
    if gate is None or not has_online_content(version_id):
        return None
    return gate


def gate_applies(session: Session, gate: DeliveryPart | None) -> bool:
    """Whether marking present/late at `session` needs the online part done (see the module)."""
    if gate is None or not session.is_in_person:
        return False
    if session.part_id is not None and session.part is not None:
        return session.part.position > gate.position
    return True


def not_cleared(enrolment: Any) -> bool:
    return enrolment.online_completed_at is None and enrolment.gate_waived_at is None


# --- Marking --------------------------------------------------------------------------------------


def _normalise(marks: Iterable[Mark] | Mapping[int, Any]) -> dict[int, Mark]:
    """Marks by enrolment id; a blank status means "leave this participant as they are"."""
    items: Iterable[Any] = (
        (Mark(int(k), *(v if isinstance(v, tuple | list) else (v,))) for k, v in marks.items())
        if isinstance(marks, Mapping)
        else marks
    )
    out: dict[int, Mark] = {}
    valid = set(AttendanceStatus.values)
    for mark in items:
        status = (mark.status or "").strip()
        note = (mark.note or "").strip()
        if not status:
            if note:
                raise DomainError(
                    _("Choose an attendance status for each participant you write a note for."),
                    field="marks",
                )
            continue
        if status not in valid:
            raise DomainError(
                _("Unknown attendance status “%(status)s”: use present, late, absent or excused.")
                % {"status": status},
                field="marks",
            )
        if len(note) > NOTE_MAX:
            raise DomainError(
                _("A note can be at most %(max)s characters long.") % {"max": NOTE_MAX}, field="marks"
            )
        if mark.enrolment in out:
            raise DomainError(_("Each participant can be marked only once per session."), field="marks")
        out[mark.enrolment] = Mark(mark.enrolment, status, note)
    return out


def local_today(session: Session) -> datetime.date:
    return timezone.now().astimezone(session.tz).date()


def check_can_take_attendance(session: Session) -> None:
    """Refuse marking at a cancelled session, in a cancelled run, or before the session's day."""
    if session.cancelled:
        raise ConflictError(_("This session was cancelled: attendance cannot be taken for it."))
    if session.run.status == RunStatus.CANCELLED:
        raise ConflictError(_("This run was cancelled: attendance cannot be taken."))
    if session.date > local_today(session):
        raise DomainError(
            _("Attendance can be taken from the day of the session (%(date)s).")
            % {"date": session.date.isoformat()},
            field="marks",
        )


def sheet_rows(session: Session, enrolment_ids: Iterable[int] | None = None) -> QuerySet[Enrolment]:
    """The run's enrolments (active ones, or `enrolment_ids`) with the person, organisation and
    their mark at `session`, in one query: the attendance sheet's one read."""
    qs = Enrolment.objects.filter(run_id=session.run_id)
    qs = qs.filter(pk__in=list(enrolment_ids)) if enrolment_ids is not None else qs.active()
    return (
        qs.select_related("person", "person__organisation")
        .annotate(mark=FilteredRelation("attendances", condition=Q(attendances__session_id=session.pk)))
        .annotate(
            mark_id=F("mark__id"),
            mark_status=F("mark__status"),
            mark_note=F("mark__note"),
            mark_at=F("mark__marked_at"),
        )
        .order_by("person__last_name", "person__first_name", "id")
    )


def _names(enrolments: list[Any]) -> str:
    return ", ".join(e.person.full_name for e in enrolments)


@transaction.atomic
def mark_attendance(session: Session, marks: Iterable[Mark] | Mapping[int, Any], *, actor: Any) -> MarkResult:
    """Record the marks of a whole class at `session` at once (see the module docstring)."""
    wanted = _normalise(marks)
    session = Session.objects.select_for_update(of=("self",)).select_related("run", "part").get(pk=session.pk)
    check_can_take_attendance(session)
    result = MarkResult(session=session)
    if not wanted:
        return result
    rows: dict[int, Any] = {e.pk: e for e in sheet_rows(session, wanted)}
    unknown = sorted(set(wanted) - set(rows))
    if unknown:
        raise DomainError(
            _("These participants are not enrolled in this run: %(ids)s.")
            % {"ids": ", ".join(map(str, unknown))},
            field="marks",
        )
    withdrawn = [e for e in rows.values() if e.status == EnrolmentStatus.WITHDRAWN and wanted[e.pk].status]
    changing = [
        e
        for e in rows.values()
        if (e.mark_status, e.mark_note or "") != (wanted[e.pk].status, wanted[e.pk].note)
    ]
    withdrawn = [e for e in withdrawn if e in changing]
    if withdrawn:
        raise ConflictError(
            _("%(names)s withdrew from the run: their attendance can no longer be marked.")
            % {"names": _names(withdrawn)},
            field="marks",
        )
    gate = gating_part(session.run.course_version_id)
    if gate_applies(session, gate):
        refused = [e for e in changing if wanted[e.pk].status in ATTENDED and not_cleared(e)]
        if refused:
            raise DomainError(
                ngettext(
                    "%(names)s cannot be marked present or late: the online part of the course is not "
                    "completed. Mark them absent or excused, or ask programme staff to admit them without "
                    "the online part (“Admit without the online part” on their enrolment page).",
                    "%(names)s cannot be marked present or late: the online part of the course is not "
                    "completed. Mark them absent or excused, or ask programme staff to admit them without "
                    "the online part (“Admit without the online part” on their enrolment pages).",
                    len(refused),
                )
                % {"names": _names(refused)},
                field="marks",
                code="online_part_not_completed",
            )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    new: list[Attendance] = []
    corrected: list[tuple[Attendance, dict[str, list[Any]]]] = []
    for enrolment in changing:
        mark = wanted[enrolment.pk]
        if enrolment.mark_id is None:
            new.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status=mark.status,
                    note=mark.note,
                    marked_by=user,
                    marked_at=now,
                )
            )
            continue
        row = Attendance(
            pk=enrolment.mark_id,
            session=session,
            enrolment=enrolment,
            status=mark.status,
            note=mark.note,
            marked_by=user,
            marked_at=now,
        )
        changes: dict[str, list[Any]] = {}
        if enrolment.mark_status != mark.status:
            changes["status"] = [enrolment.mark_status, mark.status]
        if (enrolment.mark_note or "") != mark.note:
            changes["note"] = [enrolment.mark_note or "", mark.note]
        corrected.append((row, changes))
    if new:
        Attendance.objects.bulk_create(new)
    if corrected:
        Attendance.objects.bulk_update(
            [row for row, _changes in corrected], ["status", "note", "marked_by", "marked_at"]
        )
        audit.record_many(
            audit.build(actor, "attendance.corrected", row, changes=changes, data={"session": session.pk})
            for row, changes in corrected
        )
    result.created, result.corrected = len(new), len(corrected)
    result.unchanged = len(wanted) - len(changing)
    for mark in wanted.values():
        result.counts[mark.status] = result.counts.get(mark.status, 0) + 1
    if new or corrected:
        audit.record(
            actor,
            "attendance.taken",
            session,
            data={"marked": len(new), "corrected": len(corrected), **result.counts},
        )
        if session.attendance_taken_at is None:
            session.attendance_taken_at = now
            Session.objects.filter(pk=session.pk).update(attendance_taken_at=now)
            refresh_run_attendance(session.run)  # the session now counts for everyone
        else:
            refresh_attendance([e.pk for e in changing])
    return result


# --- Figures --------------------------------------------------------------------------------------


def _held_sessions_of_run(now: datetime.datetime) -> QuerySet[Session]:
    return Session.objects.held(now).filter(run_id=OuterRef("run_id"))


def _count(qs: QuerySet[Any], key: str) -> Any:
    return Coalesce(
        Subquery(
            qs.order_by().values(key).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


def rate(attended: int, counted: int) -> Decimal | None:
    if counted <= 0:
        return None
    return (Decimal(attended) * HUNDRED / Decimal(counted)).quantize(CENT, rounding=ROUND_HALF_UP)


def figures_query(enrolments: QuerySet[Enrolment], now: datetime.datetime | None = None) -> QuerySet[Any]:
    """Each enrolment's held sessions, attended and excused marks, in one query."""
    now = now or timezone.now()
    held = Q(session__cancelled=False) & (
        Q(session__starts_at__lte=now) | Q(session__attendance_taken_at__isnull=False)
    )
    marks = Attendance.objects.filter(held, enrolment_id=OuterRef("pk"))
    return enrolments.annotate(
        held_n=_count(_held_sessions_of_run(now), "run_id"),
        attended_n=_count(marks.filter(status__in=ATTENDED), "enrolment_id"),
        excused_n=_count(marks.filter(status=AttendanceStatus.EXCUSED), "enrolment_id"),
    ).values_list(
        "pk", "held_n", "attended_n", "excused_n", "sessions_attended", "sessions_counted", "attendance_rate"
    )


def refresh_attendance(enrolment_ids: Iterable[int] | QuerySet[Any]) -> int:
    """Recompute `sessions_attended`, `sessions_counted` and `attendance_rate` of the given
    enrolments (formula in the module docstring): one read, then one UPDATE of the rows whose
    figures changed. Returns how many enrolments changed."""
    ids = enrolment_ids if isinstance(enrolment_ids, QuerySet) else list(enrolment_ids)
    changed: list[Enrolment] = []
    for pk, held, attended, excused, old_attended, old_counted, old_rate in figures_query(
        Enrolment.objects.filter(pk__in=ids)
    ):
        counted = max(held - excused, 0)
        new_rate = rate(attended, counted)
        if (attended, counted, new_rate) != (old_attended, old_counted, old_rate):
            changed.append(
                Enrolment(
                    pk=pk, sessions_attended=attended, sessions_counted=counted, attendance_rate=new_rate
                )
            )
    if changed:
        Enrolment.objects.bulk_update(changed, ["sessions_attended", "sessions_counted", "attendance_rate"])
    return len(changed)


def refresh_run_attendance(run: CourseRun | int) -> int:
    """Refresh the figures of every enrolment of a run (after a session is cancelled, moved or
    first marked)."""
    run_id = run if isinstance(run, int) else run.pk
    return refresh_attendance(Enrolment.objects.filter(run_id=run_id).values("pk"))
