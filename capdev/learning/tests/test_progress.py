"""Progress through the online part: lessons done, SCORM launches and commits, what counts, the
figures on the enrolment, resuming, and the participant's personal data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.catalogue.models import DeliveryPart, Module
from capdev.cohorts.models import Enrolment
from capdev.cohorts.testing import enrol, make_run
from capdev.core import personal_data
from capdev.core.errors import ConflictError, DomainError, PermissionDeniedError
from capdev.core.models import AuditEvent
from capdev.learning import services
from capdev.learning.course import course_outline
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt
from capdev.learning.testing import install_package, manifest_2004, tiny_package


def refreshed(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.get(pk=enrolment.pk)


def commit(lw, cast, data, *, final=False, key=None, sco="item1"):
    attempt = ScormAttempt.objects.get(enrolment=lw.enrolment, package=lw.package)
    return services.commit_cmi(
        lw.enrolment,
        lw.package,
        sco,
        actor=cast.participant,
        session_key=key if key is not None else attempt.session_key,
        data=data,
        final=final,
    )


# --- lessons -------------------------------------------------------------------------------------


def test_opening_a_lesson_starts_the_online_part_but_does_not_complete_the_lesson(cast, lw):
    services.open_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    enrolment = refreshed(lw.enrolment)
    assert enrolment.online_started_at is not None and enrolment.online_progress == 0
    assert LessonProgress.objects.get().completed_at is None


def test_marking_lessons_done_moves_the_progress_and_the_last_item_completes_the_part(cast, lw):
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    assert refreshed(lw.enrolment).online_progress == 25  # 1 of 4 items
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)  # idempotent
    assert AuditEvent.objects.filter(verb="lesson.completed").count() == 1
    services.complete_lesson(lw.enrolment, lw.lessons[1], actor=cast.participant)
    services.complete_lesson(lw.enrolment, lw.lessons[2], actor=cast.participant)
    enrolment = refreshed(lw.enrolment)
    assert enrolment.online_progress == 75 and enrolment.online_completed_at is None
    assert not enrolment.cleared_for_face_to_face

    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(lw, cast, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"})
    enrolment = refreshed(lw.enrolment)
    assert enrolment.online_progress == 100
    assert enrolment.online_completed_at is not None and enrolment.cleared_for_face_to_face
    event = AuditEvent.objects.get(verb="enrolment.online_completed")
    assert event.data["summary"] == "completed the online part" and event.actor == cast.participant


def test_progress_is_rounded_down_so_100_means_everything(cast, world):
    module = Module.objects.get(version=world.version, position=1)
    lessons = [OnlineLesson.objects.create(module=module, position=i, title=f"L{i}") for i in range(1, 4)]
    for lesson in lessons[:2]:
        services.complete_lesson(world.enrolment, lesson, actor=cast.participant)
    assert refreshed(world.enrolment).online_progress == 66


def test_only_the_participant_records_progress_while_enrolled(cast, lw):
    with pytest.raises(PermissionDeniedError):
        services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.trainer)
    with pytest.raises(PermissionDeniedError):
        services.launch_sco(lw.enrolment, lw.package, None, actor=cast.staff)
    Enrolment.objects.filter(pk=lw.enrolment.pk).update(status="withdrawn")
    with pytest.raises(PermissionDeniedError):
        services.complete_lesson(refreshed(lw.enrolment), lw.lessons[0], actor=cast.participant)
    with pytest.raises(ConflictError, match="withdrawn"):
        services.complete_lesson(refreshed(lw.enrolment), lw.lessons[0], actor=None)
    assert not LessonProgress.objects.exists()


def test_lessons_of_another_course_are_refused(cast, lw):
    other = install_other_version_lesson(cast)
    with pytest.raises(DomainError, match="not part of the participant's course"):
        services.complete_lesson(lw.enrolment, other, actor=cast.participant)


def install_other_version_lesson(cast) -> OnlineLesson:
    from capdev.cohorts.testing import make_version

    version = make_version(cast.implementer, code="other-course")
    module = Module.objects.get(version=version, position=1)
    return OnlineLesson.objects.create(module=module, position=1, title="Elsewhere")


def test_a_version_without_online_content_stays_at_zero_and_never_completes(cast):
    from capdev.cohorts.testing import make_version

    version = make_version(cast.implementer, code="no-online")
    run = make_run(version, code="run-x", organiser=cast.implementer)
    enrolment = enrol(run, cast.person_a)
    services.refresh_online_progress(enrolment)
    enrolment = refreshed(enrolment)
    assert enrolment.online_progress == 0 and enrolment.online_completed_at is None
    assert not services.has_online_content(version.pk)
    outline = course_outline(enrolment)
    assert outline.item_count == 0
    assert outline.gate is not None  # the product says the online part gates the next one...
    assert not outline.modules[0].lessons  # ...but there is nothing to take


def test_online_content_is_lessons_or_packages_of_an_online_part(cast, lw):
    assert services.has_online_content(lw.delivery.version.pk)
    OnlineLesson.objects.filter(module__part__kind="online_self_paced").delete()
    assert services.has_online_content(lw.delivery.version.pk)  # the package is left
    lw.package.delete()
    assert not services.has_online_content(lw.delivery.version.pk)  # a face-to-face lesson is not online


def test_lessons_of_face_to_face_modules_do_not_count(cast, lw):
    for lesson in lw.lessons:
        services.complete_lesson(lw.enrolment, lesson, actor=cast.participant)
    with pytest.raises(DomainError, match="not part of the participant's course"):
        services.complete_lesson(lw.enrolment, lw.offline_lesson, actor=cast.participant)
    assert refreshed(lw.enrolment).online_progress == 75


def test_refreshing_runs_a_constant_number_of_queries(cast, lw):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.refresh_online_progress(lw.enrolment)
        return len(ctx)

    services.open_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    before = count()
    for i in range(5):
        lesson = OnlineLesson.objects.create(module=lw.modules[0], position=10 + i, title=f"Extra {i}")
        LessonProgress.objects.create(enrolment=lw.enrolment, lesson=lesson)
    assert count() == before <= 7


# --- SCORM ---------------------------------------------------------------------------------------


def test_a_first_launch_gives_the_sco_what_the_lms_provides(cast, lw):
    attempt, data = services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    assert data["cmi.core.student_id"] == str(cast.participant.person.pk)
    assert data["cmi.core.student_name"] == "Santos, Paula"
    assert data["cmi.core.entry"] == "ab-initio"
    assert data["cmi.core.credit"] == "credit" and data["cmi.core.lesson_mode"] == "normal"
    assert data["cmi.core.lesson_status"] == "not attempted"
    assert data["cmi.student_data.mastery_score"] == "80"
    assert data["cmi.launch_data"] == "hello"
    assert data["cmi.core.total_time"] == "0000:00:00.00"
    assert attempt.launches == 1 and len(attempt.session_key) >= 40
    assert refreshed(lw.enrolment).online_started_at is not None


def test_a_suspended_sco_resumes_where_it_was_left(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(
        lw,
        cast,
        {
            "cmi.core.lesson_status": "incomplete",
            "cmi.core.lesson_location": "page-3",
            "cmi.suspend_data": "viewed=1,2,3",
            "cmi.core.exit": "suspend",
            "cmi.core.session_time": "00:10:00",
            "cmi.core.score.raw": "40",
            "cmi.objectives.0.id": "o1",
            "cmi.objectives.0.status": "incomplete",
            "cmi.interactions.0.id": "q1",
        },
        final=True,
    )
    attempt, data = services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    assert data["cmi.core.entry"] == "resume"
    assert data["cmi.core.lesson_status"] == "incomplete"
    assert data["cmi.core.lesson_location"] == "page-3"
    assert data["cmi.suspend_data"] == "viewed=1,2,3"
    assert data["cmi.core.score.raw"] == "40"
    assert data["cmi.core.total_time"] == "0000:10:00.00"
    assert data["cmi.objectives.0.id"] == "o1"
    assert "cmi.interactions.0.id" not in data  # write-only in SCORM 1.2
    assert attempt.launches == 2 and attempt.session_base_seconds == 600


def test_time_adds_up_over_launches_from_the_reported_session_time(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(lw, cast, {"cmi.core.session_time": "00:01:00"})
    attempt = commit(lw, cast, {"cmi.core.session_time": "00:05:00"})  # the same session, later
    assert attempt.total_seconds == 300
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    attempt = commit(lw, cast, {"cmi.core.session_time": "00:02:30"})
    assert attempt.total_seconds == 450


def test_an_unset_status_becomes_completed_at_the_final_commit(cast, world):
    module = Module.objects.get(version=world.version, position=1)
    package = install_package(module, tiny_package())  # no pass mark
    services.launch_sco(world.enrolment, package, None, actor=cast.participant)
    key = ScormAttempt.objects.get().session_key
    attempt = services.commit_cmi(
        world.enrolment,
        package,
        "item1",
        actor=cast.participant,
        session_key=key,
        data={"cmi.core.lesson_status": "not attempted"},
    )
    assert attempt.lesson_status == "not attempted" and not attempt.is_done
    attempt = services.commit_cmi(
        world.enrolment, package, "item1", actor=cast.participant, session_key=key, data={}, final=True
    )
    assert attempt.lesson_status == "completed" and attempt.completion_status == "completed"
    assert attempt.is_done and attempt.session_seconds >= 0


@pytest.mark.parametrize(
    ("status", "raw", "stored", "done"),
    [
        ("completed", "85", "passed", True),
        ("completed", "70", "failed", False),
        ("passed", "70", "failed", False),  # the LMS decides by the pass mark
        ("failed", "80", "passed", True),
        ("completed", "", "completed", False),  # a pass mark needs a score
        ("incomplete", "95", "incomplete", False),
    ],
)
def test_a_pass_mark_decides_passed_or_failed_by_the_score(cast, lw, status, raw, stored, done):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    attempt = commit(lw, cast, {"cmi.core.lesson_status": status, "cmi.core.score.raw": raw})
    assert attempt.lesson_status == stored
    assert attempt.is_done is done
    assert (refreshed(lw.enrolment).online_progress == 25) is done


def test_a_result_that_counted_keeps_counting(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(lw, cast, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"})
    attempt = commit(lw, cast, {"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "10"})
    assert attempt.lesson_status == "failed" and attempt.is_done
    assert refreshed(lw.enrolment).online_progress == 25


def test_scorm_2004_success_and_completion_are_decided_by_the_manifest(cast, world):
    module = Module.objects.get(version=world.version, position=2)
    package = install_package(module, tiny_package(manifest_2004(passing="0.7", threshold="0.8")))
    services.launch_sco(world.enrolment, package, None, actor=cast.participant)
    attempt = ScormAttempt.objects.get()

    def send(data):
        return services.commit_cmi(
            world.enrolment,
            package,
            "item1",
            actor=cast.participant,
            session_key=attempt.session_key,
            data=data,
        )

    result = send(
        {"cmi.completion_status": "completed", "cmi.success_status": "passed", "cmi.progress_measure": "0.5"}
    )
    assert (result.completion_status, result.success_status) == ("incomplete", "unknown")
    result = send({"cmi.progress_measure": "0.9", "cmi.score.scaled": "0.6", "cmi.session_time": "PT2M"})
    assert (result.completion_status, result.success_status) == ("completed", "failed") and not result.is_done
    result = send({"cmi.score.scaled": "0.7", "cmi.score.raw": "70", "cmi.score.max": "100"})
    assert result.success_status == "passed" and result.is_done
    assert result.total_seconds == 120 and result.score_percent == Decimal("70.0")
    _, data = services.launch_sco(world.enrolment, package, None, actor=cast.participant)
    assert data["cmi.scaled_passing_score"] == "0.7" and data["cmi.completion_threshold"] == "0.8"
    assert data["cmi.success_status"] == "passed" and data["cmi.total_time"] == "PT0H2M0S"
    assert data["cmi.entry"] == ""


def test_a_commit_from_an_older_launch_is_refused(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    old = ScormAttempt.objects.get().session_key
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)  # another tab
    with pytest.raises(ConflictError, match="opened again in another window") as info:
        commit(lw, cast, {"cmi.core.lesson_status": "passed"}, key=old)
    assert info.value.code == "stale_session"
    assert ScormAttempt.objects.get().lesson_status == "not attempted"


def test_a_commit_before_any_launch_is_refused(cast, lw):
    with pytest.raises(ConflictError, match="Open the package"):
        services.commit_cmi(
            lw.enrolment, lw.package, "item1", actor=cast.participant, session_key="x", data={}
        )


def test_an_invalid_commit_changes_nothing(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    with pytest.raises(DomainError, match=r"cmi\.core\.score\.raw"):
        commit(lw, cast, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "150"})
    attempt = ScormAttempt.objects.get()
    assert attempt.lesson_status == "not attempted" and attempt.commits == 0


def test_an_unknown_sco_is_refused(cast, lw):
    with pytest.raises(DomainError, match="no SCO “nope”"):
        services.launch_sco(lw.enrolment, lw.package, "nope", actor=cast.participant)


def test_status_changes_are_audited(cast, lw):
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(lw, cast, {"cmi.core.lesson_status": "incomplete"})
    commit(lw, cast, {"cmi.core.lesson_status": "incomplete", "cmi.suspend_data": "x"})  # no change
    events = AuditEvent.objects.filter(verb="scorm_attempt.updated")
    assert events.count() == 1
    assert events.get().changes["lesson_status"] == ["not attempted", "incomplete"]


def test_a_package_counts_once_every_sco_counts(cast, world):
    extra_item = '<item identifier="item2" identifierref="res1"><title>Second part</title></item>'
    from capdev.learning.testing import manifest_12

    module = Module.objects.get(version=world.version, position=2)
    package = install_package(module, tiny_package(manifest_12(extra_items=extra_item)))
    assert [s["id"] for s in package.scos] == ["item1", "item2"]
    for sco in ("item1", "item2"):
        attempt, _ = services.launch_sco(world.enrolment, package, sco, actor=cast.participant)
        services.commit_cmi(
            world.enrolment,
            package,
            sco,
            actor=cast.participant,
            session_key=attempt.session_key,
            data={"cmi.core.lesson_status": "completed"},
        )
        expected = 100 if sco == "item2" else 0
        assert refreshed(world.enrolment).online_progress == expected


def test_the_outline_shows_each_items_status(cast, lw):
    services.open_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    services.complete_lesson(lw.enrolment, lw.lessons[1], actor=cast.participant)
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    outline = course_outline(lw.enrolment)
    assert [m.module.position for m in outline.modules] == [1, 2]  # the face-to-face module is left out
    assert [row.status for row in outline.lessons] == ["started", "done", "not_started"]
    assert outline.modules[1].package.status == "started"
    assert (outline.done_count, outline.item_count) == (1, 4)
    assert outline.gate_to_face_to_face
    assert outline.neighbours(lw.lessons[1].pk) == (lw.lessons[0], lw.lessons[2])


def test_the_gate_follows_the_product(cast, lw):
    DeliveryPart.objects.filter(version=lw.delivery.version, kind="online_self_paced").update(
        gates_next=False
    )
    assert course_outline(lw.enrolment).gate is None


# --- personal data -------------------------------------------------------------------------------


def test_the_participants_online_learning_is_exported_and_erased(cast, lw):
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    commit(
        lw,
        cast,
        {
            "cmi.core.lesson_status": "passed",
            "cmi.core.score.raw": "90",
            "cmi.suspend_data": "my notes",
            "cmi.core.lesson_location": "p9",
            "cmi.interactions.0.student_response": "my answer",
        },
    )
    person = cast.participant.person
    section = personal_data.export_sections(person)["online_learning"]
    assert section[0]["run"] == lw.delivery.run_a.title
    assert section[0]["lessons"][0]["lesson"] == "The training cycle: overview"
    assert section[0]["scorm"][0]["suspend_data"] == "my notes"
    assert section[0]["scorm"][0]["cmi"]["cmi.interactions.0.student_response"] == "my answer"

    personal_data.run_erasers(person, cast.staff)
    attempt = ScormAttempt.objects.get()
    assert (attempt.suspend_data, attempt.location, attempt.cmi, attempt.session_key) == ("", "", {}, "")
    assert attempt.lesson_status == "passed" and attempt.is_done  # the run's figures stay true
    assert LessonProgress.objects.filter(completed_at__isnull=False).count() == 1
    assert AuditEvent.objects.filter(verb="online_learning.erased").exists()
