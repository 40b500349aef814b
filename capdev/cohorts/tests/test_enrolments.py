"""Enrolments: direct enrolment within capacity, withdrawal (staff or the participant), the
outcome, the online-part gate waiver; and programmes (runs in order, late runs enrol the
accepted participants)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from capdev.cohorts import services
from capdev.cohorts.models import (
    Application,
    ApplicationStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    Programme,
    RunStatus,
)
from capdev.cohorts.testing import make_application, make_call, make_person, make_run
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent


def test_staff_enrol_a_person_within_capacity(cast, world, django_capture_on_commit_callbacks):
    run = world.run_a  # 3 seats, 1 taken
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrol_participant(run, cast.outsider.person, actor=cast.staff)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert mail.outbox[0].to == [cast.outsider.email] and "Enrolled" in mail.outbox[0].subject
    services.enrol_participant(run, cast.person_a, actor=cast.staff)
    with pytest.raises(ConflictError) as error:
        services.enrol_participant(run, cast.person_b, actor=cast.staff)
    assert error.value.code == "full"
    with pytest.raises(ConflictError) as error:
        services.enrol_participant(run, cast.person_a, actor=cast.staff)
    assert error.value.code in ("full", "already_enrolled")


def test_a_person_is_enrolled_once_and_may_come_back_after_withdrawing(cast, world):
    run = world.run_b
    enrolment = world.enrolment_b
    with pytest.raises(ConflictError) as error:
        services.enrol_participant(run, cast.person_b, actor=cast.staff)
    assert error.value.code == "already_enrolled"
    services.withdraw_enrolment(enrolment, actor=cast.staff, reason="Sick leave")
    again = services.enrol_participant(run, cast.person_b, actor=cast.staff)
    assert (
        again.pk == enrolment.pk
        and again.status == EnrolmentStatus.ENROLLED
        and again.withdrawal_reason == ""
    )
    assert AuditEvent.objects.for_object(again).filter(verb="enrolment.re_enrolled").exists()


def test_an_erased_person_cannot_be_enrolled(cast, world):
    from capdev.people import services as people

    erased = people.erase_person(cast.person_a, actor=cast.staff, reason="Request 12")
    with pytest.raises(DomainError) as error:
        services.enrol_participant(world.run_b, erased, actor=cast.staff)
    assert error.value.field == "person"


def test_withdrawal_needs_a_reason_and_happens_once(cast, world):
    with pytest.raises(DomainError) as error:
        services.withdraw_enrolment(world.enrolment, actor=cast.participant, reason="")
    assert error.value.field == "reason"
    services.withdraw_enrolment(world.enrolment, actor=cast.participant, reason="New job")
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == EnrolmentStatus.WITHDRAWN and world.enrolment.withdrawn_at
    with pytest.raises(ConflictError):
        services.withdraw_enrolment(world.enrolment, actor=cast.staff, reason="Again")


def test_withdrawing_from_a_single_run_call_withdraws_the_application(cast, world):
    call = make_call(run=world.run_b)
    application = make_application(call, cast.person_a)
    services.accept_application(application, actor=cast.staff)
    enrolment = Enrolment.objects.get(run=world.run_b, person=cast.person_a)
    services.withdraw_enrolment(enrolment, actor=cast.staff, reason="Cannot travel")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_participants_of_a_completed_run_are_not_withdrawn(cast, world):
    CourseRun.objects.filter(pk=world.run_a.pk).update(status=RunStatus.COMPLETED)
    with pytest.raises(ConflictError) as error:
        services.withdraw_enrolment(world.enrolment, actor=cast.staff, reason="Late")
    assert error.value.code == "read_only"


def test_the_outcome_is_recorded_once_the_run_is_under_way(cast, world):
    with pytest.raises(ConflictError):
        services.record_outcome(world.enrolment, actor=cast.staff, completed=True)
    CourseRun.objects.filter(pk=world.run_a.pk).update(status=RunStatus.IN_PROGRESS)
    enrolment = services.record_outcome(world.enrolment, actor=cast.staff, completed=True)
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at
    enrolment = services.record_outcome(enrolment, actor=cast.staff, completed=False)
    assert enrolment.status == EnrolmentStatus.NOT_COMPLETED and enrolment.completed_at is None
    assert Enrolment.objects.filter(run=world.run_a).active().count() == 1  # still holds its seat


def test_the_gate_waiver_needs_a_reason_and_clears_the_participant(cast, world):
    enrolment = world.enrolment
    assert not enrolment.cleared_for_face_to_face
    with pytest.raises(DomainError) as error:
        services.waive_online_gate(enrolment, actor=cast.staff, reason=" ")
    assert error.value.field == "reason"
    enrolment = services.waive_online_gate(enrolment, actor=cast.staff, reason="No internet at home")
    assert enrolment.cleared_for_face_to_face
    assert enrolment.gate_waived_by == cast.staff and enrolment.gate_waiver_reason == "No internet at home"
    with pytest.raises(ConflictError) as error:
        services.waive_online_gate(enrolment, actor=cast.staff, reason="Again")
    assert error.value.code == "already_waived"
    enrolment = services.revoke_gate_waiver(enrolment, actor=cast.staff)
    assert not enrolment.cleared_for_face_to_face
    with pytest.raises(ConflictError):
        services.revoke_gate_waiver(enrolment, actor=cast.staff)


def test_no_waiver_once_the_online_part_is_done(cast, world):
    from django.utils import timezone

    Enrolment.objects.filter(pk=world.enrolment.pk).update(
        online_completed_at=timezone.now(), online_progress=100
    )
    with pytest.raises(ConflictError) as error:
        services.waive_online_gate(world.enrolment, actor=cast.staff, reason="Just in case")
    assert error.value.code == "not_needed"


# --- Programmes ------------------------------------------------------------------------------------


@pytest.fixture
def programme(cast: Any) -> Programme:
    return services.create_programme(
        actor=cast.staff,
        title="Migration Management Diploma",
        cohort_label="Cohort 3",
        organiser=cast.institute,
    )


def test_programme_runs_are_kept_in_order_and_dates_follow_them(cast, world, programme):
    import datetime

    first = make_run(
        world.version,
        code="course-1",
        organiser=cast.institute,
        start=datetime.date(2027, 4, 3),
        end=datetime.date(2027, 4, 28),
    )
    second = make_run(
        world.version,
        code="course-2",
        organiser=cast.institute,
        start=datetime.date(2027, 5, 1),
        end=datetime.date(2027, 5, 26),
    )
    services.add_run(programme, first, actor=cast.staff)
    services.add_run(programme, second, actor=cast.staff)
    programme.refresh_from_db()
    assert (programme.start_date, programme.end_date) == (
        datetime.date(2027, 4, 3),
        datetime.date(2027, 5, 26),
    )
    order = lambda: list(programme.runs.order_by("position").values_list("code", flat=True))
    assert order() == ["course-1", "course-2"]
    services.move_run(programme, second, actor=cast.staff, offset=-1)
    assert order() == ["course-2", "course-1"]
    services.remove_run(programme, second, actor=cast.staff)
    assert order() == ["course-1"]
    assert programme.code == "migration-management-diploma"


def test_a_run_added_later_enrols_the_accepted_participants(cast, world, programme):
    services.add_run(
        programme, make_run(world.version, code="course-1", organiser=cast.institute), actor=cast.staff
    )
    call = make_call(programme=programme)
    people = [make_person(f"P{i}", "Rocha", cast.org_a) for i in range(3)]
    for person in people:
        services.accept_application(make_application(call, person), actor=cast.staff)
    small = make_run(world.version, code="field-trip", organiser=cast.institute, capacity=2)
    with pytest.raises(ConflictError) as error:
        services.add_run(programme, small, actor=cast.staff)
    assert error.value.code == "full" and "3 accepted participants" in error.value.message
    assert not Enrolment.objects.filter(run=small).exists()
    big = make_run(world.version, code="course-2", organiser=cast.institute, capacity=10)
    services.add_run(programme, big, actor=cast.staff)
    assert set(Enrolment.objects.filter(run=big).values_list("person_id", flat=True)) == {
        p.pk for p in people
    }
    assert Application.objects.filter(call=call, status=ApplicationStatus.ACCEPTED).count() == 3


def test_a_run_belongs_to_one_programme(cast, world, programme):
    other = services.create_programme(actor=cast.staff, title="Other", organiser=cast.institute)
    run = make_run(world.version, code="course-x", organiser=cast.institute)
    services.add_run(programme, run, actor=cast.staff)
    with pytest.raises(ConflictError):
        services.add_run(other, run, actor=cast.staff)
    with pytest.raises(ConflictError):
        services.add_run(programme, run, actor=cast.staff)
    cancelled = make_run(world.version, code="course-y", organiser=cast.institute, status=RunStatus.CANCELLED)
    with pytest.raises(ConflictError):
        services.add_run(programme, cancelled, actor=cast.staff)


def test_programme_codes_are_unique(cast, programme):
    with pytest.raises(ConflictError) as error:
        services.create_programme(
            actor=cast.staff, title="Copy", code=programme.code, organiser=cast.institute
        )
    assert error.value.field == "code"
    with pytest.raises(DomainError) as error:
        services.create_programme(actor=cast.staff, title=" ", organiser=cast.institute)
    assert error.value.field == "title"
