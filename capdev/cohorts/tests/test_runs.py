"""Runs: what a run may deliver, its dates, language and capacity, its status, its trainers, and
the activity's participant numbers that follow its enrolments."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from capdev.actions.models import Action, ActionPartner, Activity
from capdev.catalogue.models import Course, CourseVersion
from capdev.cohorts import services
from capdev.cohorts.models import CourseRun, RunStatus, RunTrainer, TrainerRole
from capdev.cohorts.testing import RUN_END, RUN_START, enrol, make_person
from capdev.competencies.models import VersionStatus
from capdev.core.errors import ConflictError, DomainError
from capdev.core.models import AuditEvent
from capdev.reference.models import ThematicArea

D = datetime.date


def values(cast: Any, version: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "ToT Brasília",
        "course_version": version,
        "organiser": cast.implementer,
        "host": cast.org_a,
        "language": "pt",
        "start_date": RUN_START,
        "end_date": RUN_END,
        "capacity": 14,
        "city": "Brasília",
    }
    data.update(extra)
    return data


@pytest.fixture
def action(cast: Any) -> Action:
    action = Action.objects.create(
        name="Brazil III",
        country_id="BR",
        thematic_area=ThematicArea.objects.get(code="protection"),
        phase="implementation",
        start_date=D(2026, 1, 1),
    )
    ActionPartner.objects.create(action=action, organisation=cast.org_a, is_lead=True)
    return action


@pytest.fixture
def activity(action: Action) -> Activity:
    return Activity.objects.create(
        action=action, type="tot", title="Training of Trainers", start_date=RUN_START, end_date=RUN_END
    )


def test_a_run_of_a_published_version_is_planned(cast, world):
    run = services.create_run(actor=cast.staff, **values(cast, world.version))
    assert run.status == RunStatus.PLANNED
    assert run.code == "tot-brasilia-2026"
    assert AuditEvent.objects.for_object(run).filter(verb="run.created").exists()
    second = services.create_run(actor=cast.staff, **values(cast, world.version))
    assert second.code == "tot-brasilia-2026-2"


def test_a_title_without_latin_letters_takes_its_code_from_the_course(cast, world):
    run = services.create_run(
        actor=cast.staff, **values(cast, world.version, title="شهادة التدريب", language="en")
    )
    assert run.code == "tot-delivery-2026"


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.RETIRED])
def test_a_draft_or_retired_version_cannot_be_delivered(cast, world, status):
    course = Course.objects.create(code=f"c-{status}", owner=cast.implementer)
    version = CourseVersion.objects.create(
        course=course, number=1, title="Draft course", mode="blended", status=status, languages=["pt"]
    )
    with pytest.raises(DomainError) as error:
        services.create_run(actor=cast.staff, **values(cast, version))
    assert error.value.field == "course_version"
    assert "published" in error.value.message
    assert not CourseRun.objects.filter(title="ToT Brasília").exists()


def test_the_language_must_be_one_of_the_versions(cast, world):
    with pytest.raises(DomainError) as error:
        services.create_run(actor=cast.staff, **values(cast, world.version, language="ar"))
    assert error.value.field == "language"
    assert "en, pt" in error.value.message


def test_end_before_start_and_capacity_out_of_range_are_refused(cast, world):
    with pytest.raises(DomainError) as error:
        services.create_run(
            actor=cast.staff, **values(cast, world.version, end_date=RUN_START - datetime.timedelta(days=1))
        )
    assert error.value.field == "end_date"
    with pytest.raises(DomainError) as error:
        services.create_run(actor=cast.staff, **values(cast, world.version, capacity=0))
    assert error.value.field == "capacity"


def test_a_run_inside_an_activity_takes_its_action_and_stays_within_its_dates(cast, world, activity):
    run = services.create_run(actor=cast.staff, **values(cast, world.version, activity=activity))
    assert run.action_id == activity.action_id
    with pytest.raises(DomainError) as error:
        services.update_run(run, actor=cast.staff, end_date=RUN_END + datetime.timedelta(days=1))
    assert error.value.field == "start_date"
    assert "within the activity" in error.value.message


def test_the_activity_must_belong_to_the_runs_action(cast, world, activity):
    other = Action.objects.create(
        name="Costa Rica IV",
        country_id="CR",
        thematic_area=ThematicArea.objects.get(code="horizontal"),
        phase="implementation",
        start_date=D(2026, 1, 1),
    )
    with pytest.raises(DomainError) as error:
        services.create_run(actor=cast.staff, **values(cast, world.version, action=other, activity=activity))
    assert error.value.field == "activity"


def test_the_capacity_cannot_go_below_the_seats_taken(cast, world):
    run = world.run_a  # capacity 3, one enrolled
    enrol(run, cast.person_a)
    with pytest.raises(ConflictError) as error:
        services.update_run(run, actor=cast.staff, capacity=1)
    assert error.value.field == "capacity"
    assert "2 seats are already taken" in error.value.message
    run = services.update_run(run, actor=cast.staff, capacity=2)
    assert run.capacity == 2


def test_status_moves_forward_and_cancelling_needs_a_reason(cast, world):
    run = services.create_run(actor=cast.staff, **values(cast, world.version))
    run = services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
    with pytest.raises(ConflictError):
        services.change_run_status(run, actor=cast.staff, status=RunStatus.COMPLETED)
    with pytest.raises(DomainError) as error:
        services.change_run_status(run, actor=cast.staff, status=RunStatus.CANCELLED)
    assert error.value.field == "reason"
    run = services.change_run_status(run, actor=cast.staff, status=RunStatus.CANCELLED, reason="Venue closed")
    assert run.cancellation_reason == "Venue closed"
    with pytest.raises(ConflictError):
        services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)


def test_completed_and_cancelled_runs_are_read_only(cast, world):
    run = world.run_a
    run.status = RunStatus.COMPLETED
    run.save()
    with pytest.raises(ConflictError) as error:
        services.update_run(run, actor=cast.staff, title="New title")
    assert error.value.code == "read_only"
    with pytest.raises(ConflictError):
        services.add_trainer(run, cast.person_a, actor=cast.staff)
    with pytest.raises(ConflictError):
        services.enrol_participant(run, cast.person_a, actor=cast.staff)


def test_trainers_are_added_once_and_removed(cast, world):
    run = world.run_a
    trainer = services.add_trainer(run, cast.person_a, actor=cast.staff, role=TrainerRole.COACH)
    assert trainer.role == TrainerRole.COACH
    with pytest.raises(ConflictError) as error:
        services.add_trainer(run, cast.person_a, actor=cast.staff)
    assert "already a trainer" in error.value.message
    services.remove_trainer(trainer, actor=cast.staff)
    assert not RunTrainer.objects.filter(run=run, person=cast.person_a).exists()
    verbs = set(AuditEvent.objects.for_object(run).values_list("verb", flat=True))
    assert {"run.trainer_added", "run.trainer_removed"} <= verbs


def test_trainer_authorisation_hook_is_asked(cast, world, monkeypatch):
    def refuse(run, person):
        raise DomainError("Not authorised for this course.", field="person")

    monkeypatch.setattr(services.runs, "check_trainer_authorised", refuse)
    with pytest.raises(DomainError, match="Not authorised"):
        services.add_trainer(world.run_a, cast.person_a, actor=cast.staff)
    assert services.check_trainer_authorised(world.run_a, cast.person_a) is None  # allows everyone today


def test_a_named_trainer_with_a_login_sees_the_run_and_its_participants(cast, world):
    from capdev.cohorts.models import Enrolment

    assert CourseRun.objects.visible_to(cast.steering).filter(pk=world.run_a.pk).exists()  # steering sees all
    assert not CourseRun.objects.visible_to(cast.outsider).filter(pk=world.run_a.pk).exists()
    services.add_trainer(world.run_a, cast.outsider.person, actor=cast.staff)
    assert CourseRun.objects.visible_to(cast.outsider).filter(pk=world.run_a.pk).exists()
    assert Enrolment.objects.visible_to(cast.outsider).filter(pk=world.enrolment.pk).exists()


def test_the_activity_counts_follow_the_runs_enrolments(cast, world, activity):
    run = services.create_run(actor=cast.staff, **values(cast, world.version, activity=activity, capacity=10))
    services.enrol_participant(run, cast.participant.person, actor=cast.staff)  # F
    services.enrol_participant(run, cast.person_b, actor=cast.staff)  # M
    other = make_person("Ana", "Lima", cast.org_a, sex="X")
    enrolment = services.enrol_participant(run, other, actor=cast.staff)
    activity.refresh_from_db()
    assert (activity.participants_women, activity.participants_men, activity.participants_other) == (1, 1, 1)
    services.withdraw_enrolment(enrolment, actor=cast.staff, reason="Changed post")
    activity.refresh_from_db()
    assert activity.participants_total == 2
    assert (
        AuditEvent.objects.for_object(activity).filter(verb="activity.participants_from_enrolments").exists()
    )
    services.change_run_status(run, actor=cast.staff, status=RunStatus.CANCELLED, reason="Postponed")
    activity.refresh_from_db()
    assert activity.participants_total == 0
