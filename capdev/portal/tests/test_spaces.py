"""The personal spaces and the run overview: what each role sees, the funnel, query counts."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capdev.cohorts.models import Application, Call, Enrolment, EnrolmentStatus
from capdev.cohorts.testing import enrol, make_run, make_version
from capdev.delivery.tests.conftest import add_participants, add_session, days
from capdev.people.models import Person
from capdev.portal import spaces


def _call(run, **extra):
    return Call.objects.create(
        title="Call", run=run, status="open", deadline=timezone.now() + datetime.timedelta(days=5), **extra
    )


# --- My learning ------------------------------------------------------------------------------


def test_my_learning_shows_my_courses_progress_and_next_sessions(cast, world, run):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(
        online_progress=40, online_started_at=timezone.now()
    )
    session = add_session(run, cast.staff, days(1), title="Day 4: delivery and methods")
    add_session(world.run_b, cast.staff, days(1), title="Another run's day", timezone="America/Costa_Rica")
    response = cast.client("participant").get("/my/learning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert run.title in html
    assert world.run_b.title not in html
    assert "Day 4: delivery and methods" in html and "Another run" not in html
    assert 'aria-valuenow="40"' in html
    assert "Continue the online part" in html
    # the online part gates the face-to-face days and is not completed
    assert "Complete the online part to join the face-to-face days." in html
    space = spaces.learner_space(cast.participant)
    assert [c.enrolment for c in space.current] == [world.enrolment]
    assert space.sessions == [session]


def test_my_learning_leaves_out_withdrawn_and_puts_finished_courses_apart(cast, world):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=EnrolmentStatus.WITHDRAWN)
    old = make_run(
        world.version,
        code="tot-2022",
        organiser=cast.implementer,
        start=datetime.date(2022, 7, 4),
        end=datetime.date(2022, 7, 8),
        status="completed",
    )
    done = enrol(
        old, cast.participant.person, status=EnrolmentStatus.COMPLETED, online_completed_at=timezone.now()
    )
    space = spaces.learner_space(cast.participant)
    assert space.current == []
    assert [c.enrolment for c in space.past] == [done]
    html = cast.client("participant").get("/my/learning/").content.decode()
    assert "Courses I took" in html and "tot-2022" in html
    assert "Complete the online part" not in html


def test_my_learning_lists_open_applications_with_the_offer_deadline(cast, world):
    call = _call(world.run_b)
    Application.objects.create(
        call=call,
        person=cast.participant.person,
        status="offered",
        offer_expires_on=datetime.date(2030, 1, 9),
    )
    html = cast.client("participant").get("/my/learning/").content.decode()
    assert "My applications in progress" in html
    assert "Answer by 9 January 2030" in html


def test_my_learning_query_count_does_not_grow_with_courses(cast, world, django_assert_max_num_queries):
    client = cast.client("participant")
    client.get("/my/learning/")
    with CaptureQueriesContext(connection) as few:
        client.get("/my/learning/")
    for i in range(5):
        run = make_run(
            world.version, code=f"more-{i}", organiser=cast.implementer, start=days(-3), end=days(10)
        )
        enrol(run, cast.participant.person)
        add_session(run, cast.staff, days(2 + i), timezone="Europe/Brussels")
    with CaptureQueriesContext(connection) as many:
        client.get("/my/learning/")
    assert len(many) == len(few)


# --- My runs ----------------------------------------------------------------------------------


def test_my_runs_shows_todays_sessions_and_my_runs_with_progress(cast, world, run):
    today = add_session(run, cast.staff, days(0), "00:00", "23:59", title="Today's practice")
    add_session(run, cast.staff, days(1), title="Tomorrow")
    learners = add_participants(run, 3)
    Enrolment.objects.filter(pk=learners[0].pk).update(sessions_attended=1)
    html = cast.client("trainer").get("/my/runs/").content.decode()
    assert "Today's practice" in unescape(html)
    assert f"/sessions/{today.pk}/attendance/" in html
    assert world.run_b.title not in html  # not trained by them
    [row] = spaces.trained_runs(cast.trainer)
    spaces.decorate_trained_runs([row])
    assert row.funnel["active"] == 4  # the cast's participant and three more
    assert row.funnel["completed_online"] == 3
    assert row.funnel["attended"] == 1
    assert row.next_session.title == "Today's practice"  # not over yet: it lasts all day


def test_my_runs_query_count_does_not_grow_with_runs(cast, world, run):
    from capdev.cohorts.models import RunTrainer

    client = cast.client("trainer")
    add_participants(run, 1, prefix="First")
    add_session(run, cast.staff, days(1))
    client.get("/my/runs/")
    with CaptureQueriesContext(connection) as few:
        client.get("/my/runs/")
    for i in range(6):
        other = make_run(
            world.version, code=f"trained-{i}", organiser=cast.implementer, start=days(-3), end=days(10)
        )
        RunTrainer.objects.create(run=other, person=cast.trainer.person)
        add_participants(other, 2, prefix=f"P{i}x")
        add_session(other, cast.staff, days(0), "00:00", "23:59", timezone="Europe/Brussels")
    with CaptureQueriesContext(connection) as many:
        client.get("/my/runs/")
    assert len(many) == len(few)


# --- Participants (focal point, staff) --------------------------------------------------------


def test_participants_are_scoped_to_the_focal_points_organisation(cast, world):
    stranger = Person.objects.create(first_name="Zed", last_name="Outsider", sex="M", organisation=cast.org_b)
    enrol(world.run_a, stranger)
    focal = cast.client("focal").get("/participants/").content.decode()
    assert "Santos, Paula" in focal and "Outsider, Zed" not in focal and "Mora, Diego" not in focal
    staff = cast.client("staff").get("/participants/").content.decode()
    assert "Santos, Paula" in staff and "Outsider, Zed" in staff and "Mora, Diego" in staff
    outsider = cast.client("outsider").get("/participants/").content.decode()
    assert "Mora, Diego" in outsider and "Santos, Paula" not in outsider


def test_participants_filter_by_online_stage(cast, world):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(online_started_at=timezone.now())
    client = cast.client("staff")
    assert "Santos, Paula" in client.get("/participants/?online=in_progress").content.decode()
    assert "Santos, Paula" not in client.get("/participants/?online=not_started").content.decode()
    assert "Mora, Diego" in client.get("/participants/?online=not_started").content.decode()


def test_focal_point_sees_applicants_by_status(cast, world):
    call = _call(world.run_a)
    Application.objects.create(call=call, person=cast.person_a, organisation=cast.org_a, status="waitlisted")
    Application.objects.create(call=call, person=cast.person_b, organisation=cast.org_b, status="submitted")
    html = cast.client("focal").get("/participants/").content.decode()
    assert "Waitlisted: <strong>1</strong>" in html
    assert "Submitted: <strong>" not in html  # org B's applicant is not theirs


def test_participants_query_count_does_not_grow(cast, world):
    client = cast.client("staff")
    client.get("/participants/")
    with CaptureQueriesContext(connection) as few:
        client.get("/participants/")
    add_participants(world.run_a, 30, org=cast.org_a)
    with CaptureQueriesContext(connection) as many:
        client.get("/participants/")
    assert len(many) == len(few)


# --- Run overview -----------------------------------------------------------------------------


@pytest.fixture
def funnel_world(cast, world):
    """Run A: 5 candidates applied (3 selected through the call, 1 rejected, 1 waitlisted), plus
    the cast's participant enrolled directly; of the 4 enrolled, 3 started the online part, 2
    completed it, 2 attended, 1 completed the course, 1 withdrew."""
    call = _call(world.run_a)
    people = [
        Person.objects.create(first_name=f"C{i}", last_name="Candidate", sex="F", organisation=cast.org_a)
        for i in range(5)
    ]
    statuses = ["accepted", "accepted", "accepted", "rejected", "waitlisted"]
    apps = [
        Application.objects.create(call=call, person=p, organisation=cast.org_a, status=s)
        for p, s in zip(people, statuses, strict=True)
    ]
    now = timezone.now()
    enrol(
        world.run_a,
        people[0],
        application=apps[0],
        online_started_at=now,
        online_completed_at=now,
        sessions_attended=5,
        status="completed",
    )
    enrol(
        world.run_a,
        people[1],
        application=apps[1],
        online_started_at=now,
        online_completed_at=now,
        sessions_attended=2,
    )
    enrol(world.run_a, people[2], application=apps[2], online_started_at=now, status="withdrawn")
    return world


def test_funnel_counts_each_stage(cast, funnel_world):
    from capdev.cohorts.models import CourseRun

    counts = spaces.funnel_counts(CourseRun.objects.filter(pk=funnel_world.run_a.pk))
    assert counts["applied"] == 6  # five applications + one direct enrolment
    assert counts["selected"] == 4
    assert counts["started_online"] == 3
    assert counts["completed_online"] == 2
    assert counts["attended"] == 2
    assert counts["completed"] == 1
    rows = list(CourseRun.objects.filter(pk=funnel_world.run_a.pk))
    spaces.decorate_funnel(rows)
    assert {k: rows[0].funnel[k] for k in counts} == counts
    stages = spaces.funnel_stages(counts)
    assert [s["count"] for s in stages] == [6, 4, 3, 2, 2, 1]
    assert stages[1]["of_top"] == 67 and stages[1]["of_previous"] == 67


def test_programme_applicants_count_in_each_run_of_the_programme(cast, world):
    from capdev.cohorts.models import CourseRun, Programme

    programme = Programme.objects.create(code="mmdp-3", title="Diploma", organiser=cast.implementer)
    CourseRun.objects.filter(pk__in=[world.run_a.pk, world.run_b.pk]).update(programme=programme)
    call = Call.objects.create(
        title="Diploma call", programme=programme, status="open", deadline=timezone.now()
    )
    Application.objects.create(call=call, person=cast.person_a, organisation=cast.org_a)
    rows = list(CourseRun.objects.filter(pk__in=[world.run_a.pk, world.run_b.pk]))
    spaces.decorate_funnel(rows)
    assert [r.funnel["applied"] for r in rows] == [2, 2]  # one applicant + one direct enrolment each
    totals = spaces.funnel_counts(CourseRun.objects.filter(pk__in=[world.run_a.pk, world.run_b.pk]))
    assert totals["applied"] == 4  # the sum of the rows: never fewer applicants than selected
    assert totals["applied"] >= totals["selected"]


def test_run_overview_page_shows_the_funnel(cast, funnel_world):
    html = cast.client("steering").get("/overview/runs/").content.decode()
    assert "Enrolment funnel" in html
    assert "Completed the online part" in html
    assert funnel_world.run_a.title in html


def test_run_overview_query_count_does_not_grow_with_runs(cast, funnel_world):
    client = cast.client("staff")
    client.get("/overview/runs/")
    with CaptureQueriesContext(connection) as few:
        client.get("/overview/runs/")
    for i in range(8):
        other = make_run(funnel_world.version, code=f"extra-{i}", organiser=cast.implementer)
        add_participants(other, 2, prefix=f"E{i}x")
        _call(other)
    with CaptureQueriesContext(connection) as many:
        client.get("/overview/runs/")
    assert len(many) == len(few)


def test_dashboard_offers_the_spaces_by_role(cast, world, run):
    assert "My learning" in cast.client("participant").get("/dashboard/").content.decode()
    assert "sessions I train today" in cast.client("trainer").get("/dashboard/").content.decode()
    assert "My organisation's participants" in unescape(
        cast.client("focal").get("/dashboard/").content.decode()
    )
    assert "runs under way today" in cast.client("staff").get("/dashboard/").content.decode()


def test_started_online_counts_those_who_completed_without_a_start_recorded(cast, world):
    from capdev.cohorts.models import CourseRun

    Enrolment.objects.filter(pk=world.enrolment.pk).update(online_completed_at=timezone.now())
    counts = spaces.funnel_counts(CourseRun.objects.filter(pk=world.run_a.pk))
    assert counts["started_online"] == counts["completed_online"] == 1


def test_trainer_dashboard_leaves_out_an_empty_learning_card(cast, world):
    assert "of my courses running or ahead" not in cast.client("trainer").get("/dashboard/").content.decode()
    assert "of my courses running or ahead" in cast.client("participant").get("/dashboard/").content.decode()


def test_no_online_part_to_take_without_online_content(cast, world):
    from capdev.learning.models import OnlineLesson

    OnlineLesson.objects.filter(module__version=world.version).delete()
    html = cast.client("participant").get("/my/learning/").content.decode()
    assert "online part" not in html.lower()  # neither progress nor gate: nothing to take online


def test_online_stages_count_only_runs_with_an_online_part(cast, funnel_world):
    from capdev.cohorts.models import CourseRun
    from capdev.learning.models import OnlineLesson

    diploma = make_run(
        make_version(cast.implementer, code="diploma-course", title="Diploma course"),
        code="diploma-1",
        organiser=cast.implementer,
    )
    OnlineLesson.objects.filter(module__version__course__code="diploma-course").delete()
    for i in range(4):
        person = Person.objects.create(first_name=f"D{i}", last_name="Diplomate", sex="M")
        enrol(diploma, person, sessions_attended=3)
    runs = CourseRun.objects.filter(pk__in=[funnel_world.run_a.pk, diploma.pk])
    counts = spaces.funnel_counts(runs)
    assert counts["selected"] == 8 and counts["selected_online"] == 4
    stages = {s["key"]: s for s in spaces.funnel_stages(counts)}
    assert stages["started_online"]["of_previous"] == 75  # 3 of the 4 with an online part
    assert "Among the 4 people selected into runs with an online part." in stages["started_online"]["note"]
    assert stages["attended"]["of_previous"] == 75  # 6 of the 8 selected, not 6 of 2 (300 %)
    html = cast.client("staff").get("/overview/runs/").content.decode()
    assert "no online part" in html
