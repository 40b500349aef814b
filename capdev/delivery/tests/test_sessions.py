"""Session rules: dates within the run, times and time zones, parts, trainers, field trips,
cancelling and reinstating, the one-session-per-day helper, and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from capdev.catalogue.models import DeliveryPart, PartKind
from capdev.cohorts.models import RunStatus, RunTrainer, TrainerRole
from capdev.cohorts.testing import make_run, make_version
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.delivery import services, timezones
from capdev.delivery.models import Session, SessionKind
from capdev.delivery.tests.conftest import T, add_session, days

pytestmark = pytest.mark.django_db


def f2f(world: Any) -> DeliveryPart:
    return world.version.parts.get(kind=PartKind.FACE_TO_FACE)


def test_session_times_are_stored_in_utc_from_the_sessions_time_zone(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(0), "09:00", "12:30")
    assert session.timezone == "America/Sao_Paulo"
    assert session.starts_at == datetime.datetime.combine(days(0), T("12:00"), tzinfo=datetime.UTC)
    assert session.ends_at == datetime.datetime.combine(days(0), T("15:30"), tzinfo=datetime.UTC)
    event = AuditEvent.objects.for_object(session).get()
    assert event.verb == "session.created" and event.changes["start_time"] == [None, "09:00:00"]


def test_the_time_zone_defaults_to_the_runs_country_then_to_its_latest_session(cast: Any, run: Any) -> None:
    first = services.create_session(
        run, actor=cast.staff, date=days(0), start_time=T("09:00"), end_time=T("10:00")
    )
    assert first.timezone == "America/Sao_Paulo"  # run A is in Brazil
    services.create_session(
        run,
        actor=cast.staff,
        date=days(1),
        start_time=T("09:00"),
        end_time=T("10:00"),
        timezone="Europe/Lisbon",
    )
    assert timezones.default_zone(run) == "Europe/Lisbon"
    assert timezones.main_zone("KG") == "Asia/Bishkek" and timezones.main_zone("US") == "America/New_York"
    assert timezones.main_zone("XX") is None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date": "before"}, "date", "within the run's dates"),
        ({"date": "after"}, "date", "within the run's dates"),
        ({"end_time": T("08:00")}, "end_time", "end after it starts"),
        ({"end_time": T("09:00")}, "end_time", "end after it starts"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Unknown time zone"),
        ({"kind": SessionKind.FIELD_TRIP}, "destination_city", "destination city"),
        ({"date": None}, "date", "required"),
    ],
)
def test_session_refusals_name_the_field(
    cast: Any, run: Any, values: dict[str, Any], field: str, message: str
) -> None:
    data: dict[str, Any] = {
        "date": days(0),
        "start_time": T("09:00"),
        "end_time": T("12:00"),
        "timezone": "America/Sao_Paulo",
    }
    data.update(values)
    if data["date"] == "before":
        data["date"] = run.start_date - datetime.timedelta(days=1)
    if data["date"] == "after":
        data["date"] = run.end_date + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.create_session(run, actor=cast.staff, **data)
    assert error.value.field == field and message in error.value.message
    assert not Session.objects.exists()


def test_a_time_skipped_by_daylight_saving_is_refused(cast: Any, world: Any) -> None:
    spring = make_run(
        world.version,
        code="tot-be",
        organiser=cast.implementer,
        start=datetime.date(2027, 3, 27),
        end=datetime.date(2027, 3, 29),
    )
    with pytest.raises(DomainError) as error:
        services.create_session(
            spring,
            actor=cast.staff,
            date=datetime.date(2027, 3, 28),
            start_time=T("02:30"),
            end_time=T("04:00"),
            timezone="Europe/Brussels",
        )
    assert error.value.field == "start_time" and "does not exist" in error.value.message


def test_the_part_must_belong_to_the_runs_course(cast: Any, run: Any, world: Any) -> None:
    other = make_version(cast.implementer, code="other-course")
    with pytest.raises(DomainError) as error:
        add_session(run, cast.staff, days(0), part=other.parts.first())
    assert error.value.field == "part"
    session = add_session(run, cast.staff, days(0), part=f2f(world))
    assert session.part == f2f(world)


def test_trainers_must_be_trainers_of_the_run(cast: Any, run: Any, world: Any) -> None:
    stranger = RunTrainer.objects.create(run=world.run_b, person=cast.person_b, role=TrainerRole.LEAD)
    with pytest.raises(DomainError) as error:
        add_session(run, cast.staff, days(0), trainers=[stranger])
    assert error.value.field == "trainers" and "Diego Mora" in error.value.message
    lead = RunTrainer.objects.get(run=run)
    session = add_session(run, cast.staff, days(0), trainers=[lead])
    assert list(session.trainers.all()) == [lead]


def test_a_field_trip_names_its_host_and_destination(cast: Any, run: Any) -> None:
    trip = add_session(
        run,
        cast.staff,
        days(1),
        kind=SessionKind.FIELD_TRIP,
        host_institution="Ministry of Justice and Security",
        destination_city="The Hague",
        destination_country_id="NL",
        timezone="Europe/Amsterdam",
    )
    assert trip.place == "Ministry of Justice and Security, The Hague, Netherlands"
    assert trip.is_in_person


def test_sessions_of_a_completed_or_cancelled_run_cannot_change(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(0))
    run.status = RunStatus.COMPLETED
    run.save()
    with pytest.raises(ConflictError):
        add_session(run, cast.staff, days(1))
    with pytest.raises(ConflictError):
        services.update_session(session, actor=cast.staff, title="New")
    with pytest.raises(ConflictError):
        services.cancel_session(session, actor=cast.staff, reason="Storm")


def test_update_records_what_changed(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(0))
    lead = RunTrainer.objects.get(run=run)
    services.update_session(
        session, actor=cast.trainer, room="Sala 3", start_time=T("10:00"), trainers=[lead]
    )
    event = AuditEvent.objects.for_object(session).filter(verb="session.updated").get()
    assert event.changes["room"] == ["", "Sala 3"]
    assert event.changes["start_time"] == ["09:00:00", "10:00:00"]
    assert event.changes["trainers"] == [[], ["Tina Borg"]]
    session.refresh_from_db()
    assert session.starts_at.hour == 13  # 10:00 in São Paulo
    services.update_session(session, actor=cast.staff, room="Sala 3")
    assert (
        AuditEvent.objects.for_object(session).filter(verb="session.updated").count() == 1
    )  # no change, no event


def test_a_session_whose_attendance_was_taken_cannot_move_to_a_later_day(cast: Any, run: Any) -> None:
    from capdev.delivery.tests.conftest import add_participants

    (enrolment,) = add_participants(run, 1)
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(session, {enrolment.pk: "present"}, actor=cast.trainer)
    with pytest.raises(DomainError) as error:
        services.update_session(session, actor=cast.staff, date=days(1))
    assert error.value.field == "date"
    services.update_session(session, actor=cast.staff, date=days(-1))  # earlier is fine (a correction)


def test_cancel_needs_a_reason_then_reinstate(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(1))
    with pytest.raises(DomainError) as error:
        services.cancel_session(session, actor=cast.staff, reason="  ")
    assert error.value.field == "reason"
    services.cancel_session(session, actor=cast.staff, reason="Public holiday")
    session.refresh_from_db()
    assert session.cancelled and session.cancellation_reason == "Public holiday" and session.cancelled_at
    with pytest.raises(ConflictError):
        services.cancel_session(session, actor=cast.staff, reason="Again")
    with pytest.raises(ConflictError):
        services.update_session(session, actor=cast.staff, title="x")
    services.reinstate_session(session, actor=cast.staff)
    session.refresh_from_db()
    assert not session.cancelled and session.cancellation_reason == ""
    with pytest.raises(ConflictError):
        services.reinstate_session(session, actor=cast.staff)
    verbs = list(AuditEvent.objects.for_object(session).values_list("verb", flat=True))
    assert "session.cancelled" in verbs and "session.reinstated" in verbs


def test_one_session_per_day_for_the_face_to_face_part(cast: Any, world: Any) -> None:
    from capdev.delivery.tests.conftest import move_run

    run = move_run(
        world.run_a, datetime.date(2027, 7, 5), datetime.date(2027, 7, 16)
    )  # Monday to Friday next week
    lead = RunTrainer.objects.get(run=run)
    created, skipped = services.add_daily_sessions(
        run,
        actor=cast.staff,
        part=f2f(world),
        first_day=datetime.date(2027, 7, 8),  # a Thursday
        days=5,
        start_time=T("09:00"),
        end_time=T("17:00"),
        room="Auditório",
        trainers=[lead],
    )
    assert [s.date.isoformat() for s in created] == [
        "2027-07-08",
        "2027-07-09",
        "2027-07-12",
        "2027-07-13",
        "2027-07-14",
    ]
    assert [s.title for s in created] == ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5"]
    assert skipped == []
    assert all(s.timezone == "America/Sao_Paulo" and s.part == f2f(world) for s in Session.objects.all())
    assert all(list(s.trainers.all()) == [lead] for s in Session.objects.all())
    assert AuditEvent.objects.filter(verb="session.created").count() == 5
    # Again: the days that have a session are left alone.
    created, skipped = services.add_daily_sessions(
        run,
        actor=cast.staff,
        part=f2f(world),
        first_day=datetime.date(2027, 7, 7),
        days=3,
        start_time=T("09:00"),
        end_time=T("17:00"),
    )
    assert [s.date.isoformat() for s in created] == ["2027-07-07"]
    assert [d.isoformat() for d in skipped] == ["2027-07-08", "2027-07-09"]


def test_daily_sessions_that_overflow_the_run_add_nothing(cast: Any, world: Any) -> None:
    with pytest.raises(DomainError) as error:
        services.add_daily_sessions(
            world.run_a,
            actor=cast.staff,
            part=f2f(world),
            first_day=world.run_a.start_date,
            days=6,
            start_time=T("09:00"),
            end_time=T("17:00"),
            skip_weekends=False,
        )
    assert error.value.field == "first_day" and "do not fit" in error.value.message
    with pytest.raises(DomainError) as error:
        services.add_daily_sessions(
            world.run_a,
            actor=cast.staff,
            part=f2f(world),
            first_day=world.run_a.start_date,
            days=0,
            start_time=T("09:00"),
            end_time=T("17:00"),
        )
    assert error.value.field == "days"
    with pytest.raises(DomainError) as error:
        services.add_daily_sessions(
            world.run_a,
            actor=cast.staff,
            part=f2f(world),
            first_day=world.run_a.start_date,
            days=2,
            start_time=T("17:00"),
            end_time=T("09:00"),
        )
    assert error.value.field == "end_time"
    assert not Session.objects.exists()


def test_daily_dates_skip_weekends() -> None:
    friday = datetime.date(2026, 12, 11)
    assert services.daily_dates(friday, 3, skip_weekends=True) == [
        friday,
        datetime.date(2026, 12, 14),
        datetime.date(2026, 12, 15),
    ]
    assert len(services.daily_dates(friday, 3, skip_weekends=False)) == 3


def test_unknown_fields_are_refused(cast: Any, run: Any) -> None:
    with pytest.raises(DomainError):
        add_session(run, cast.staff, days(0), capacity=3)
