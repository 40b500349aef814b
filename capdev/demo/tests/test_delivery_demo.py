"""The delivery demo: the named facts of DOMAIN.md are there, loading again creates nothing, the
synthetic runs are consistent with their marks, and the demo logins find their spaces alive.

One programme load (scale 1) is shared by the module and rolled back at its end; each test runs
in a savepoint inside it."""

from __future__ import annotations

import datetime
import zipfile
from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from capdev.accounts.models import User
from capdev.actions.models import Activity
from capdev.cohorts.models import (
    Application,
    ApplicationSource,
    ApplicationStatus,
    Call,
    CallStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    ImportStatus,
    ParticipantImport,
    Programme,
    RunStatus,
    RunTrainer,
)
from capdev.core.models import AuditEvent
from capdev.delivery.models import Attendance, Session, SessionKind
from capdev.delivery.services import refresh_attendance
from capdev.demo.delivery import brazil, content, diploma, load_delivery, replicas, synthetic, today
from capdev.demo.delivery.clock import replay, system_today
from capdev.demo.loader import load_demo
from capdev.demo.programme import load_programme
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt, ScormPackage
from capdev.learning.scorm.manifest import parse_manifest
from capdev.learning.services import online_content, refresh_online_progress
from capdev.people.models import Person

D = datetime.date


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, int]]:
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock(), transaction.atomic():
        yield load_programme(scale=1)
        transaction.set_rollback(True)


def _client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _run(key: str) -> CourseRun:
    return CourseRun.objects.get(demo_key=key)


# --- Brazil III --------------------------------------------------------------------------------


def test_the_pilot_has_its_fourteen_nominated_participants(demo, db):
    run = _run(brazil.PILOT)
    assert (run.start_date, run.end_date, run.language, run.capacity) == (
        D(2022, 7, 4),
        D(2022, 7, 8),
        "pt",
        14,
    )
    assert run.activity.demo_key == "act-br3-tot" and run.action.demo_key == "brazil-3"
    assert run.course_version.course.demo_key == "adaptation-dpu-tot-pt" and run.course_version.number == 1
    assert (run.organiser.demo_key, run.host.demo_key, run.status) == ("icmpd", "dpu", RunStatus.COMPLETED)
    assert set(RunTrainer.objects.filter(run=run).values_list("person__demo_key", "role")) == {
        ("expert-01", "lead"),
        ("expert-12", "co_trainer"),
    }
    call = Call.objects.get(demo_key=brazil.PILOT_CALL)
    assert (call.accepts_applications, call.accepts_nominations, call.status) == (
        False,
        True,
        CallStatus.CLOSED,
    )
    assert call.quotas.get().places == 14
    applications = Application.objects.filter(call=call)
    assert applications.count() == 14
    assert set(applications.values_list("source", "status", "nominated_by__email")) == {
        (ApplicationSource.NOMINATION, ApplicationStatus.ACCEPTED, "focal@capdev.example")
    }
    assert all(a.created_at.date() < D(2022, 6, 1) for a in applications)  # before the deadline
    enrolments = Enrolment.objects.filter(run=run)
    assert sorted(enrolments.values_list("person__demo_key", flat=True)) == [
        f"dpu-tot-{i:02d}" for i in range(1, 15)
    ]
    assert Counter(enrolments.values_list("status", flat=True)) == {"completed": 13, "not_completed": 1}
    assert enrolments.get(status="not_completed").person.demo_key == brazil.NOT_COMPLETED


def test_every_pilot_participant_did_the_online_part_in_june_2022(demo, db):
    enrolments = list(Enrolment.objects.filter(run__demo_key=brazil.PILOT))
    content_ = online_content(enrolments[0].run.course_version_id)
    assert len(content_.lessons) == 8 and len(content_.packages) == 1
    for enrolment in enrolments:
        assert enrolment.online_progress == 100
        assert D(2022, 6, 1) < enrolment.online_completed_at.date() <= D(2022, 6, 30)
        assert LessonProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 8
        attempt = ScormAttempt.objects.get(enrolment=enrolment)
        assert attempt.lesson_status == "passed" and attempt.score_raw >= 80 and attempt.done_at is not None


def test_the_pilots_five_days_are_marked_mostly_present(demo, db):
    run = _run(brazil.PILOT)
    sessions = list(Session.objects.filter(run=run).order_by("date"))
    assert [s.date for s in sessions] == [D(2022, 7, 4) + datetime.timedelta(days=i) for i in range(5)]
    assert {s.timezone for s in sessions} == {"America/Sao_Paulo"}
    marks = Attendance.objects.filter(session__run=run)
    assert marks.count() == 5 * 14
    counts = Counter(marks.values_list("status", flat=True))
    assert (
        counts["present"] >= 60 and counts["late"] >= 2 and counts["excused"] == 1 and counts["absent"] == 3
    )
    corrected = AuditEvent.objects.filter(verb="attendance.corrected").filter(data__session=sessions[0].pk)
    assert corrected.count() == 1 and corrected.get().changes["status"] == ["absent", "late"]
    dropped = Enrolment.objects.get(run=run, person__demo_key=brazil.NOT_COMPLETED)
    assert (dropped.sessions_attended, dropped.sessions_counted, dropped.attendance_rate) == (2, 5, 40)


def test_the_revised_tot_ahead_has_the_participant_two_lessons_in(demo, db):
    run = _run(brazil.AHEAD)
    assert (run.start_date, run.end_date, run.language, run.status) == (
        D(2027, 1, 11),
        D(2027, 2, 12),
        "pt",
        RunStatus.OPEN,
    )
    assert run.course_version.course.demo_key == "tot-standard" and run.course_version.number == 2
    kickoff, *days = Session.objects.filter(run=run).order_by("starts_at")
    assert kickoff.kind == SessionKind.LIVE_ONLINE and kickoff.date == D(2027, 1, 11) and kickoff.online_link
    assert [d.date for d in days] == [D(2027, 2, 8) + datetime.timedelta(days=i) for i in range(5)]
    assert Enrolment.objects.filter(run=run).count() == 13
    mine = Enrolment.objects.get(run=run, person__demo_key="dpu-tot-01")
    items = online_content(run.course_version_id).item_count
    assert LessonProgress.objects.filter(enrolment=mine, completed_at__isnull=False).count() == 2
    assert mine.online_progress == 200 // items and mine.online_started_at.date() < system_today()


def test_the_second_dpu_cohort_call_is_open_with_nominations(demo, db):
    call = Call.objects.get(demo_key=brazil.SECOND_CALL)
    assert call.status == CallStatus.OPEN
    assert timezone.localtime(call.deadline).date() >= system_today() + datetime.timedelta(days=39)
    assert call.run.start_date > timezone.localtime(call.deadline).date()
    statuses = Counter(Application.objects.filter(call=call).values_list("status", flat=True))
    assert statuses == {"submitted": 6, "shortlisted": 3}
    assert Call.objects.open_now().filter(pk=call.pk).exists()


# --- The diploma -------------------------------------------------------------------------------


def test_the_diploma_has_three_cohorts_and_58_participants(demo, db):
    programmes = Programme.objects.filter(demo_key__startswith="mmdp-cohort-").order_by("demo_key")
    assert programmes.count() == 3
    active = []
    for programme in programmes:
        runs = list(programme.runs.order_by("position"))
        assert len(runs) == 3 and {r.organiser.demo_key for r in runs} == {"unu-merit"}
        assert all(r.end_date.weekday() == 4 and 24 <= (r.end_date - r.start_date).days <= 25 for r in runs)
        people = {
            frozenset(
                Enrolment.objects.filter(run=r)
                .exclude(status="withdrawn")
                .values_list("person_id", flat=True)
            )
            for r in runs
        }
        assert len(people) == 1  # the cohort follows the three courses together
        active.append(len(next(iter(people))))
    assert active == [19, 19, 20] and sum(active) == 58
    cohort3 = programmes.get(demo_key="mmdp-cohort-3")
    assert cohort3.start_date == D(2023, 4, 3)
    opening = Session.objects.get(run__programme=cohort3, date=D(2023, 4, 3))
    assert opening.title == "Opening ceremony" and "Maastricht" in opening.run.city


def test_cohort_three_goes_on_its_field_trips(demo, db):
    trips = Session.objects.filter(run__programme__demo_key="mmdp-cohort-3", kind=SessionKind.FIELD_TRIP)
    assert sorted(trips.values_list("date", "destination_city", "destination_country_id")) == [
        (D(2023, 4, 26), "The Hague", "NL"),
        (D(2023, 5, 24), "Geneva", "CH"),
        (D(2023, 6, 21), "Brussels", "BE"),
    ]
    assert {t.host_institution for t in trips} >= {"Ministry of Security and Justice", "UNHCR headquarters"}
    online = Session.objects.filter(run__programme__demo_key="mmdp-cohort-1")
    assert set(online.values_list("kind", flat=True)) == {SessionKind.LIVE_ONLINE}


def test_diploma_calls_select_from_more_applicants_than_seats(demo, db):
    for cohort in diploma.COHORTS:
        call = Call.objects.get(demo_key=f"call-mmdp-cohort-{cohort.number}")
        applications = Application.objects.filter(call=call)
        assert applications.count() == 28 and call.languages == [{"language": "en", "level": "B2"}]
        assert applications.filter(status="waitlisted").exists()
        rejected = applications.filter(status="rejected")
        assert rejected.exists() and all(a.decision_reason for a in rejected)
        assert all(a.attachments.count() == 1 for a in applications)
        women = applications.filter(status="accepted", person__sex="F").count()
        assert 0.4 <= women / applications.filter(status="accepted").count() <= 0.6
    second = Application.objects.filter(call__demo_key="call-mmdp-cohort-2")
    assert second.filter(status="withdrawn").count() == 1
    promoted = AuditEvent.objects.filter(verb="application.offer_accepted")
    assert promoted.count() == 1
    assert second.get(pk=promoted.get().object_id).status == ApplicationStatus.ACCEPTED


# --- The replica-ready ToTs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "activity", "women", "men", "completed"),
    [
        ("run-cr5-tot", "act-cr5-tot", 10, 6, 16),
        ("run-sv2-tot", "act-sv2-tot", 10, 5, 14),
        ("run-kg-tot", "act-kg-tot", 7, 5, 11),
    ],
)
def test_replica_ready_tots_and_their_activities_figures(demo, db, key, activity, women, men, completed):
    run = _run(key)
    assert run.status == RunStatus.COMPLETED and run.activity.demo_key == activity
    enrolments = Enrolment.objects.filter(run=run)
    assert Counter(enrolments.values_list("person__sex", flat=True)) == {"F": women, "M": men}
    assert enrolments.filter(status=EnrolmentStatus.COMPLETED).count() == completed
    assert enrolments.filter(online_completed_at__isnull=False).count() == women + men
    linked = Activity.objects.get(demo_key=activity)
    assert (linked.participants_women, linked.participants_men, linked.participants_other) == (women, men, 0)
    assert linked.status == "done"


def test_costa_rica_is_nominated_el_salvador_imported_kyrgyzstan_enrolled(demo, db):
    cr = Application.objects.filter(call__run__demo_key="run-cr5-tot")
    assert Counter(cr.values_list("source", flat=True)) == {"nomination": 9, "staff": 7}
    assert set(cr.filter(source="nomination").values_list("nominated_by__email", flat=True)) == {
        "focal.costarica@capdev.example"
    }
    record = ParticipantImport.objects.get(run__demo_key="run-sv2-tot")
    assert (record.status, record.row_count, record.matched_people, record.new_people) == (
        ImportStatus.APPLIED,
        15,
        15,
        0,
    )
    kg = _run("run-kg-tot")
    assert kg.language == "en" and "interpretation" in kg.title
    assert not Enrolment.objects.filter(run=kg, application__isnull=False).exists()
    assert list(RunTrainer.objects.filter(run=kg).values_list("person__demo_key", flat=True)) == ["expert-30"]


# --- Alive today -------------------------------------------------------------------------------


def test_the_award_in_valletta_is_on_its_third_day_today(demo, db):
    run = _run(today.KEY)
    assert (run.language, run.city, run.status, run.capacity) == ("ar", "Valletta", RunStatus.IN_PROGRESS, 18)
    sessions = list(Session.objects.filter(run=run).order_by("date"))
    assert [s.date for s in sessions] == [system_today() + datetime.timedelta(days=d) for d in (-2, -1, 0, 1)]
    assert [Attendance.objects.filter(session=s).count() for s in sessions] == [18, 18, 0, 0]
    enrolments = Enrolment.objects.filter(run=run)
    countries = Counter(enrolments.values_list("person__organisation__country_id", flat=True))
    assert countries == {"JO": 4, "LB": 4, "LY": 3, "MA": 4, "TN": 3}
    assert enrolments.filter(online_completed_at__isnull=False).count() == 17
    waived = enrolments.get(gate_waived_at__isnull=False)
    assert waived.person.demo_key == today.WAIVED and waived.gate_waiver_reason
    assert waived.online_completed_at is None and 0 < waived.online_progress < 100
    assert RunTrainer.objects.filter(
        run=run, person__user__email="trainer@capdev.example", role="co_trainer"
    ).exists()


# --- Online content ----------------------------------------------------------------------------


def test_the_products_online_parts_have_lessons_and_the_tot_a_scorm_quiz(demo, db):
    counts = {
        (course, number): OnlineLesson.objects.filter(
            module__version__course__demo_key=course, module__version__number=number
        ).count()
        for course, number in [
            ("tot-standard", 1),
            ("tot-standard", 2),
            ("mcp-award-training", 1),
            ("adaptation-dgme-tot-es", 1),
        ]
    }
    assert counts == {
        ("tot-standard", 1): 8,
        ("tot-standard", 2): 9,
        ("mcp-award-training", 1): 4,
        ("adaptation-dgme-tot-es", 1): 9,
    }
    assert all("<script" not in body for body in OnlineLesson.objects.values_list("body", flat=True))
    assert (
        OnlineLesson.objects.exclude(video_url="")
        .filter(video_url__startswith="https://learning.capdev.example/")
        .exists()
    )
    packages = ScormPackage.objects.all()
    # one upload on the standard's version 1, copied into version 2 and both adaptations
    assert packages.count() == 4 and len({p.storage_key for p in packages}) == 1
    assert {(p.version, p.mastery_score, p.original_name) for p in packages} == {
        ("1.2", 80, content.SCORM_ZIP_NAME)
    }


def test_the_scorm_quiz_is_a_valid_deterministic_package():
    data = content.scorm_package()
    assert data == content.scorm_package()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = archive.namelist()
        manifest = parse_manifest(archive.read("imsmanifest.xml"), names)
        page = archive.read("index.html").decode() + archive.read("quiz.js").decode()
    assert manifest.version == "1.2" and [s.id for s in manifest.scos] == [content.SCORM_SCO]
    assert "LMSInitialize" in page and "cmi.core.score.raw" in page and "LMSFinish" in page


# --- Idempotency and the demo logins -----------------------------------------------------------

DELIVERY_APPS = {"cohorts", "learning", "delivery"}


def _delivery_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in DELIVERY_APPS}


def test_loading_again_creates_nothing(demo, db):
    before, events = _delivery_counts(), AuditEvent.objects.count()
    load_delivery(scale=1)
    assert _delivery_counts() == before
    assert AuditEvent.objects.count() == events
    assert before["cohorts.CourseRun"] == 16 and before["cohorts.Programme"] == 3


def test_the_clock_is_the_system_clock_again_after_a_replay(db):
    with replay() as clock:
        clock.go(datetime.datetime(2022, 7, 4, 10, tzinfo=datetime.UTC))
        assert timezone.now().date() == D(2022, 7, 4)
    assert abs((timezone.now() - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60


def test_the_participant_sees_the_2027_run_with_progress(demo, db):
    response = _client("participant@capdev.example").get("/my/learning/")
    assert response.status_code == 200
    page = response.content.decode()
    assert _run(brazil.AHEAD).title in page and _run(brazil.PILOT).title in page
    mine = Enrolment.objects.get(run__demo_key=brazil.AHEAD, person__demo_key="dpu-tot-01")
    assert mine.online_progress > 0
    assert f'aria-labelledby="online-label-{mine.pk}" aria-valuenow="{mine.online_progress}"' in page


def test_the_trainer_sees_todays_session_in_my_runs(demo, db):
    response = _client("trainer@capdev.example").get("/my/runs/")
    assert response.status_code == 200
    page = response.content.decode()
    session = Session.objects.get(run__demo_key=today.KEY, date=system_today())
    assert _run(today.KEY).title in page
    assert f"/sessions/{session.pk}/attendance/" in page


def test_the_focal_point_sees_the_dpu_people_and_applicants(demo, db):
    focal = _client("focal@capdev.example")
    participants = focal.get("/participants/")
    assert participants.status_code == 200
    mariana = Person.objects.get(demo_key="dpu-tot-01")
    assert mariana.last_name in participants.content.decode()
    applicants = focal.get("/applications/")
    assert applicants.status_code == 200
    nominee = Person.objects.get(demo_key="dpu-tot2-01")
    assert nominee.last_name in applicants.content.decode()


# --- The synthetic part ------------------------------------------------------------------------


def test_scale_two_adds_a_block_of_consistent_synthetic_runs(demo, db):
    load_demo(scale=2)
    assert load_delivery(scale=1)["runs"] == 16  # scale 1: no synthetic runs
    load_delivery(scale=2)
    runs = CourseRun.objects.filter(demo_key__startswith="syn-run-")
    enrolments = Enrolment.objects.filter(run__in=runs)
    assert runs.count() == 100 and enrolments.count() == 2_000
    assert Session.objects.filter(run__in=runs).count() == 2_000
    assert Attendance.objects.filter(session__run__in=runs).count() == 40_000
    people = Person.objects.filter(demo_key__startswith="syn-person-")
    assert enrolments.values("person_id").distinct().count() == people.count() == 2_000
    assert set(runs.values_list("status", flat=True)) == {RunStatus.COMPLETED}
    assert runs.filter(start_date__year__lt=2019).count() == 0 and runs.filter(start_date__year=2019).exists()
    assert refresh_attendance(enrolments.values("pk")) == 0  # the figures are those of the marks
    for enrolment in enrolments.order_by("pk")[:200]:
        before = (enrolment.online_progress, enrolment.online_started_at, enrolment.online_completed_at)
        after = refresh_online_progress(enrolment)
        assert (after.online_progress, after.online_started_at, after.online_completed_at) == before
    for enrolment in enrolments.filter(status="completed")[:300]:
        assert enrolment.attendance_rate >= 80
    counted = Counter(enrolments.values_list("status", flat=True))
    assert set(counted) == {"completed", "not_completed"} and counted["completed"] > 1_700
    marks = Counter(Attendance.objects.filter(session__run__in=runs).values_list("status", flat=True))
    assert marks["present"] > 34_000 and min(marks["late"], marks["absent"], marks["excused"]) > 400

    before = _delivery_counts()
    load_delivery(scale=2)
    assert _delivery_counts() == before

    fingerprint = _synthetic_fingerprint()
    runs.delete()
    load_delivery(scale=2)
    assert _synthetic_fingerprint() == fingerprint  # the same data on every load


def _synthetic_fingerprint() -> list[Any]:
    runs = list(
        CourseRun.objects.filter(demo_key__startswith="syn-run-")
        .order_by("demo_key")
        .values_list("demo_key", "course_version_id", "host__demo_key", "start_date", "language", "capacity")
    )
    marks = list(
        Attendance.objects.filter(session__run__demo_key="syn-run-51")
        .order_by("session__starts_at", "enrolment__person__demo_key")
        .values_list("enrolment__person__demo_key", "status")
    )
    return [runs, marks]


def test_the_stories_are_skipped_once_loaded(demo, db):
    assert brazil.load(_cast()) == 0
    assert diploma.load(_cast()) == 0
    assert replicas.load(_cast()) == 0
    assert today.load(_cast()) == 0
    assert synthetic.load(1, lambda _m: None) == 0


def _cast() -> Any:
    from capdev.demo.delivery.common import Cast

    return Cast.load(lambda _m: None)
