"""Marking attendance: a whole class at once, corrections audited (before/after, nothing for an
unchanged mark), the online-part gate and the staff waiver, refusals that change nothing, the
rate formula, cancelling → figures refreshed, and constant queries for 5 or 40 participants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capdev.catalogue.models import DeliveryPart, PartKind
from capdev.cohorts.models import Enrolment, EnrolmentStatus, RunStatus
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.delivery import services
from capdev.delivery.models import Attendance, Session, SessionKind
from capdev.delivery.services import Mark
from capdev.delivery.tests.conftest import add_participants, add_session, days

pytestmark = pytest.mark.django_db


def figures(enrolment: Enrolment) -> tuple[int, int, Decimal | None]:
    enrolment.refresh_from_db()
    return enrolment.sessions_attended, enrolment.sessions_counted, enrolment.attendance_rate


def statuses(session: Session) -> dict[str, str]:
    return {
        a.enrolment.person.first_name: a.status
        for a in Attendance.objects.filter(session=session).select_related("enrolment__person")
    }


def test_a_whole_class_is_marked_in_one_call(cast: Any, run: Any) -> None:
    people = add_participants(run, 4)
    session = add_session(run, cast.staff, days(0))
    result = services.mark_attendance(
        session,
        [
            Mark(people[0].pk, "present"),
            Mark(people[1].pk, "late", "Bus strike"),
            Mark(people[2].pk, "absent"),
            Mark(people[3].pk, "excused", "Medical appointment"),
        ],
        actor=cast.trainer,
    )
    assert (result.created, result.corrected, result.unchanged) == (4, 0, 0)
    assert statuses(session) == {
        "Learner00": "present",
        "Learner01": "late",
        "Learner02": "absent",
        "Learner03": "excused",
    }
    mark = Attendance.objects.get(enrolment=people[1])
    assert mark.note == "Bus strike" and mark.marked_by == cast.trainer and mark.marked_at
    session.refresh_from_db()
    assert session.attendance_taken_at is not None
    taken = AuditEvent.objects.for_object(session).get(verb="attendance.taken")
    assert taken.data["marked"] == 4 and taken.data["present"] == 1
    assert not AuditEvent.objects.filter(
        verb="attendance.corrected"
    ).exists()  # first marks are not corrections


def test_a_correction_records_before_and_after_and_an_unchanged_mark_records_nothing(
    cast: Any, run: Any
) -> None:
    a, b, c = add_participants(run, 3)
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(session, {a.pk: "present", b.pk: "present", c.pk: "absent"}, actor=cast.trainer)
    events_before = AuditEvent.objects.count()

    result = services.mark_attendance(
        session, {a.pk: "present", b.pk: ("late", "Arrived 9:40"), c.pk: "absent"}, actor=cast.staff
    )
    assert (result.created, result.corrected, result.unchanged) == (0, 1, 2)
    correction = AuditEvent.objects.get(verb="attendance.corrected")
    mark_b = Attendance.objects.get(enrolment=b)
    assert correction.object_id == str(mark_b.pk)
    assert correction.changes == {"status": ["present", "late"], "note": ["", "Arrived 9:40"]}
    assert correction.actor == cast.staff
    assert "Learner01" in correction.object_repr
    assert mark_b.marked_by == cast.staff
    assert AuditEvent.objects.count() == events_before + 2  # the correction and the session's summary

    services.mark_attendance(session, {a.pk: "present", b.pk: ("late", "Arrived 9:40")}, actor=cast.staff)
    assert AuditEvent.objects.count() == events_before + 2  # nothing changed, nothing recorded


def test_a_blank_status_leaves_the_participant_as_they_are(cast: Any, run: Any) -> None:
    a, b = add_participants(run, 2)
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(session, {a.pk: "present", b.pk: ""}, actor=cast.trainer)
    assert statuses(session) == {"Learner00": "present"}
    with pytest.raises(DomainError):
        services.mark_attendance(session, {b.pk: ("", "a note without a status")}, actor=cast.trainer)


@pytest.mark.parametrize(
    ("build", "error", "text"),
    [
        (lambda s, e, o: {e.pk: "asleep"}, DomainError, "Unknown attendance status"),
        (lambda s, e, o: {o.pk: "present"}, DomainError, "not enrolled in this run"),
        (lambda s, e, o: {e.pk: ("present", "x" * 256)}, DomainError, "at most 255"),
        (lambda s, e, o: [Mark(e.pk, "present"), Mark(e.pk, "absent")], DomainError, "only once"),
    ],
)
def test_bad_marks_are_refused_and_nothing_is_written(
    cast: Any, run: Any, world: Any, build: Any, error: type, text: str
) -> None:
    good, other = add_participants(run, 2)
    session = add_session(run, cast.staff, days(0))
    marks = build(session, good, world.enrolment_b)
    if isinstance(marks, dict):
        marks = {**marks, other.pk: "present"} if good.pk not in marks or other.pk not in marks else marks
    with pytest.raises(error) as caught:
        services.mark_attendance(session, marks, actor=cast.trainer)
    assert text in caught.value.message and caught.value.field == "marks"
    assert not Attendance.objects.exists()
    session.refresh_from_db()
    assert session.attendance_taken_at is None


def test_marking_is_refused_for_a_cancelled_or_future_session(cast: Any, run: Any) -> None:
    (e,) = add_participants(run, 1)
    tomorrow = add_session(run, cast.staff, days(1))
    with pytest.raises(DomainError) as error:
        services.mark_attendance(tomorrow, {e.pk: "present"}, actor=cast.trainer)
    assert "from the day of the session" in error.value.message
    yesterday = add_session(run, cast.staff, days(-1))
    services.cancel_session(yesterday, actor=cast.staff, reason="Strike")
    with pytest.raises(ConflictError):
        services.mark_attendance(yesterday, {e.pk: "present"}, actor=cast.trainer)
    assert not Attendance.objects.exists()


def test_a_participant_who_withdrew_cannot_be_marked(cast: Any, run: Any) -> None:
    a, b = add_participants(run, 2)
    Enrolment.objects.filter(pk=b.pk).update(status=EnrolmentStatus.WITHDRAWN)
    session = add_session(run, cast.staff, days(0))
    with pytest.raises(ConflictError) as error:
        services.mark_attendance(session, {a.pk: "present", b.pk: "present"}, actor=cast.trainer)
    assert "Learner01 Learnerson01 withdrew" in error.value.message
    assert not Attendance.objects.exists()


# --- The gate ------------------------------------------------------------------------------------


def test_the_gate_refuses_present_or_late_for_participants_without_the_online_part(
    cast: Any, run: Any
) -> None:
    cleared = add_participants(run, 2)
    blocked = add_participants(run, 2, cleared=False, prefix="Pending")
    session = add_session(run, cast.staff, days(0))
    marks = {e.pk: "present" for e in cleared + blocked}
    with pytest.raises(DomainError) as error:
        services.mark_attendance(session, marks, actor=cast.trainer)
    assert error.value.code == "online_part_not_completed"
    assert (
        "Pending00 Pendingson00, Pending01 Pendingson01 cannot be marked present or late"
        in error.value.message
    )
    assert "Admit without the online part" in error.value.message
    assert not Attendance.objects.exists()  # all or nothing

    marks[blocked[0].pk] = "late"
    with pytest.raises(DomainError):
        services.mark_attendance(session, marks, actor=cast.trainer)

    # Absent and excused may always be recorded.
    marks.update({blocked[0].pk: "absent", blocked[1].pk: "excused"})
    services.mark_attendance(session, marks, actor=cast.trainer)
    assert sorted(statuses(session).values()) == ["absent", "excused", "present", "present"]


def test_the_staff_waiver_lets_a_participant_be_marked_present(cast: Any, run: Any) -> None:
    (blocked,) = add_participants(run, 1, cleared=False)
    session = add_session(run, cast.staff, days(0))
    Enrolment.objects.filter(pk=blocked.pk).update(
        gate_waived_at=timezone.now(), gate_waived_by=cast.staff, gate_waiver_reason="Completed offline"
    )
    services.mark_attendance(session, {blocked.pk: "present"}, actor=cast.trainer)
    assert statuses(session) == {"Learner00": "present"}


def test_the_gate_does_not_apply_to_online_meetings_or_to_courses_without_a_gating_part(
    cast: Any, run: Any, world: Any
) -> None:
    (blocked,) = add_participants(run, 1, cleared=False)
    online = add_session(
        run, cast.staff, days(0), kind=SessionKind.LIVE_ONLINE, online_link="https://meet.example/x"
    )
    services.mark_attendance(online, {blocked.pk: "present"}, actor=cast.trainer)
    part_of_online = world.version.parts.get(kind=PartKind.ONLINE_SELF_PACED)
    kickoff = add_session(run, cast.staff, days(0), "14:00", "15:00", part=part_of_online)
    services.mark_attendance(
        kickoff, {blocked.pk: "present"}, actor=cast.trainer
    )  # a session of the online part
    DeliveryPart.objects.filter(version=world.version).update(gates_next=False)
    room = add_session(run, cast.staff, days(0), "16:00", "17:00")
    services.mark_attendance(room, {blocked.pk: "present"}, actor=cast.trainer)
    assert Attendance.objects.filter(status="present").count() == 3


def test_the_gate_does_not_apply_when_the_online_part_has_nothing_to_take(
    cast: Any, run: Any, world: Any
) -> None:
    from capdev.learning.models import OnlineLesson

    (blocked,) = add_participants(run, 1, cleared=False)
    session = add_session(run, cast.staff, days(0))
    with pytest.raises(DomainError):
        services.mark_attendance(session, {blocked.pk: "present"}, actor=cast.trainer)
    OnlineLesson.objects.filter(module__version=world.version).delete()  # delivered elsewhere
    services.mark_attendance(session, {blocked.pk: "present"}, actor=cast.trainer)
    assert Attendance.objects.get(enrolment=blocked).status == "present"


def test_an_unchanged_present_mark_is_not_refused_when_the_waiver_is_withdrawn(cast: Any, run: Any) -> None:
    (e,) = add_participants(run, 1, cleared=False)
    Enrolment.objects.filter(pk=e.pk).update(gate_waived_at=timezone.now())
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(session, {e.pk: "present"}, actor=cast.trainer)
    Enrolment.objects.filter(pk=e.pk).update(gate_waived_at=None)
    services.mark_attendance(session, {e.pk: "present"}, actor=cast.trainer)  # no change: nothing to refuse
    with pytest.raises(DomainError):
        services.mark_attendance(session, {e.pk: ("present", "a new note")}, actor=cast.trainer)


# --- Figures ---------------------------------------------------------------------------------------


def test_rate_formula_attended_over_held_minus_excused(cast: Any, run: Any) -> None:
    a, b, c = add_participants(run, 3)
    s1 = add_session(run, cast.staff, days(-3))
    s2 = add_session(run, cast.staff, days(-2))
    s3 = add_session(run, cast.staff, days(-1))
    add_session(run, cast.staff, days(2))  # ahead: not counted yet
    services.mark_attendance(s1, {a.pk: "present", b.pk: "late", c.pk: "present"}, actor=cast.trainer)
    services.mark_attendance(s2, {a.pk: "present", b.pk: "excused", c.pk: "absent"}, actor=cast.trainer)
    services.mark_attendance(s3, {a.pk: "late", b.pk: "present"}, actor=cast.trainer)  # c not marked

    assert figures(a) == (3, 3, Decimal("100.00"))
    assert figures(b) == (2, 2, Decimal("100.00"))  # the excused session does not count
    assert figures(c) == (1, 3, Decimal("33.33"))  # absent and unmarked sessions count as missed


def test_figures_are_empty_while_no_session_was_held(cast: Any, run: Any) -> None:
    (a,) = add_participants(run, 1)
    add_session(run, cast.staff, days(1))
    services.refresh_attendance([a.pk])
    assert figures(a) == (0, 0, None)


def test_cancelling_a_session_refreshes_the_figures(cast: Any, run: Any) -> None:
    a, b = add_participants(run, 2)
    s1 = add_session(run, cast.staff, days(-2))
    s2 = add_session(run, cast.staff, days(-1))
    services.mark_attendance(s1, {a.pk: "present", b.pk: "present"}, actor=cast.trainer)
    services.mark_attendance(s2, {a.pk: "absent", b.pk: "present"}, actor=cast.trainer)
    assert figures(a) == (1, 2, Decimal("50.00"))
    services.cancel_session(s2, actor=cast.staff, reason="The venue flooded")
    assert figures(a) == (1, 1, Decimal("100.00"))
    assert figures(b) == (1, 1, Decimal("100.00"))
    assert Attendance.objects.filter(session=s2).count() == 2  # the marks are kept
    services.reinstate_session(s2, actor=cast.staff)
    assert figures(a) == (1, 2, Decimal("50.00"))


def test_the_first_marks_of_a_session_count_it_for_the_whole_class(cast: Any, run: Any) -> None:
    a, b = add_participants(run, 2)
    s1 = add_session(run, cast.staff, days(-1))
    services.mark_attendance(s1, {a.pk: "present", b.pk: "present"}, actor=cast.trainer)
    later_today = add_session(run, cast.staff, days(0), "23:00", "23:30")  # not started yet
    assert figures(b) == (1, 1, Decimal("100.00"))
    services.mark_attendance(later_today, {a.pk: "present"}, actor=cast.trainer)
    assert figures(a) == (2, 2, Decimal("100.00"))
    assert figures(b) == (1, 2, Decimal("50.00"))  # b is not marked at a session now counted


def test_a_session_planned_after_the_fact_counts_at_once(cast: Any, run: Any) -> None:
    (a,) = add_participants(run, 1)
    s1 = add_session(run, cast.staff, days(-2))
    services.mark_attendance(s1, {a.pk: "present"}, actor=cast.trainer)
    add_session(run, cast.staff, days(-1))
    assert figures(a) == (1, 2, Decimal("50.00"))


def test_marks_at_a_cancelled_run_are_refused(cast: Any, run: Any) -> None:
    (a,) = add_participants(run, 1)
    session = add_session(run, cast.staff, days(0))
    run.status = RunStatus.CANCELLED
    run.save()
    with pytest.raises(ConflictError):
        services.mark_attendance(session, {a.pk: "present"}, actor=cast.trainer)


# --- Constant queries -----------------------------------------------------------------------------


def _marking_queries(cast: Any, run: Any, n: int, day: int) -> tuple[int, int]:
    people = add_participants(run, n, prefix=f"Class{n}x")
    session = add_session(run, cast.staff, days(day))
    with CaptureQueriesContext(connection) as first:
        services.mark_attendance(session, {e.pk: "present" for e in people}, actor=cast.trainer)
    corrections = {e.pk: ("late" if i % 3 == 0 else "present") for i, e in enumerate(people)}
    with CaptureQueriesContext(connection) as second:
        services.mark_attendance(session, corrections, actor=cast.trainer)
    return len(first.captured_queries), len(second.captured_queries)


def test_marking_a_class_takes_the_same_number_of_queries_for_5_or_40(cast: Any, run: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get_for_models(Attendance, Session)  # cached for the rest of the run
    small = _marking_queries(cast, run, 5, -2)
    large = _marking_queries(cast, run, 40, -1)
    assert small == large, (small, large)
    assert large[0] <= 12 and large[1] <= 12
    assert Attendance.objects.count() == 45
    assert AuditEvent.objects.filter(verb="attendance.corrected").count() == 2 + 14


def test_the_daily_command_catches_up_with_sessions_that_started(cast: Any, run: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    (a,) = add_participants(run, 1)
    s1 = add_session(run, cast.staff, days(-2))
    services.mark_attendance(s1, {a.pk: "present"}, actor=cast.trainer)
    # A session that started without anyone refreshing the figures (written directly).
    s2 = add_session(run, cast.staff, days(1))
    Session.objects.filter(pk=s2.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))
    assert figures(a) == (1, 1, Decimal("100.00"))
    out = StringIO()
    call_command("refresh_attendance", stdout=out)
    assert figures(a) == (1, 2, Decimal("50.00"))
    assert "2 enrolments checked, 2 updated." in out.getvalue()  # with the cast's participant
    call_command("refresh_attendance", "--run", str(run.pk), stdout=out)
    assert "0 updated" in out.getvalue().splitlines()[-1]
