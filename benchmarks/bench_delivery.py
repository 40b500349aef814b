"""Delivery pages on a scaled demo (issue 5): 100,000 participants, 5,000 runs, 2,000,000
attendance marks at `--scale 100`.

    uv run python benchmarks/bench_delivery.py --scale 100 [--runs 50] [--data-dir DIR]
    DATABASE_URL=postgres://... uv run python benchmarks/bench_delivery.py --scale 100

Builds (or reuses: every loader is idempotent) the demo programme with the delivery demo at
`--scale` (the synthetic Actions and activities are not needed and are left out), gathers the
planner's statistics (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite), then adds the benchmark's
own class: a run of the revised ToT with 40 participants (the participant demo login and 39
synthetic people, each already in a synthetic run), trained by the trainer demo login, with 20
daily sessions of which 16 are marked and today's is not. Then it measures, as the role that uses
each page: the run's page (staff), the attendance sheet of today's session for 40 (trainer, GET),
marking the whole class in one request (trainer, htmx POST; the marks are removed again after each
timed request, so every request marks 40 new rows), the participant's spaces, the trainer's runs,
the run list, the participants lists, the run overview with its funnel, the timetable, and the
sign-in sheet PDF (reported apart: it is PDF rendering).

Target (issue 5): run detail, attendance sheet for 40 and participant dashboard each under 100 ms
at p95 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import time

from _harness import engine, measure, setup_django, table

BENCH_RUN = "bench-run-class-40"


def load(scale: int) -> float:
    """The demo programme with the delivery demo at `scale`; returns the seconds it took."""
    from capdev.demo.actions import load_actions
    from capdev.demo.activities import load_activities
    from capdev.demo.adaptations import load_adaptations
    from capdev.demo.catalogue import load_catalogue
    from capdev.demo.competencies import load_trainer_framework
    from capdev.demo.delivery import load_delivery
    from capdev.demo.experts import load_experts
    from capdev.demo.loader import load_demo

    start = time.perf_counter()
    load_demo(scale=scale, progress=print)
    load_trainer_framework(print)
    load_catalogue(print)
    load_adaptations(print)
    load_actions(1, print)
    load_experts(1, print)
    load_activities(1, print)
    load_delivery(scale, print)
    return time.perf_counter() - start


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as autovacuum would have gathered them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def bench_class() -> int:
    """The benchmark's class of 40 (created once; see the module docstring). Returns its run id."""
    from django.db import transaction
    from django.utils import timezone

    from capdev.accounts.models import User
    from capdev.catalogue.models import PartKind
    from capdev.cohorts import services as cohorts
    from capdev.cohorts.models import CourseRun, Enrolment, RunStatus, TrainerRole
    from capdev.delivery import services as delivery
    from capdev.demo.delivery.common import version
    from capdev.organisations.models import Organisation
    from capdev.people.models import Person
    from capdev.reference.models import Country

    existing = CourseRun.objects.filter(demo_key=BENCH_RUN).first()
    if existing is not None:
        return existing.pk
    from capdev.cohorts import notifications

    staff = User.objects.get(email="staff@capdev.example")
    trainer = User.objects.get(email="trainer@capdev.example")
    participant = User.objects.get(email="participant@capdev.example")
    v2 = version("tot-standard", 2)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=16)
    with transaction.atomic(), notifications.muted():
        run = cohorts.create_run(
            actor=staff,
            title="Vocational Train the Trainers – benchmark class of 40",
            course_version=v2,
            organiser=Organisation.objects.get(demo_key="icmpd"),
            host=Organisation.objects.get(demo_key="dpu"),
            language="en",
            start_date=start,
            end_date=start + datetime.timedelta(days=19),
            venue="ICMPD training centre",
            city="Vienna",
            country=Country.objects.get(code="AT"),
            capacity=40,
        )
        CourseRun.objects.filter(pk=run.pk).update(demo_key=BENCH_RUN)
        cohorts.add_trainer(run, trainer.person, actor=staff, role=TrainerRole.LEAD)
        cohorts.change_run_status(run, actor=staff, status=RunStatus.IN_PROGRESS)
        people = [
            participant.person,
            *Person.objects.filter(demo_key__startswith="syn-person-").order_by("pk")[:39],
        ]
        for person in people:
            cohorts.enrol_participant(run, person, actor=staff)
        # The online part is taken before the class starts (figures set directly: scaffolding).
        done = timezone.now() - datetime.timedelta(days=20)
        Enrolment.objects.filter(run=run).update(
            online_progress=100, online_started_at=done, online_completed_at=done
        )
        part = v2.parts.get(kind=PartKind.FACE_TO_FACE)
        delivery.add_daily_sessions(
            run,
            actor=staff,
            part=part,
            first_day=start,
            days=20,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(17, 0),
            timezone="Europe/Vienna",
            room="Training room 1",
            skip_weekends=False,
            trainers=list(run.trainers.all()),
        )
        enrolments = list(Enrolment.objects.filter(run=run).order_by("pk"))
        for i, session in enumerate(run.sessions.filter(date__lt=today).order_by("date")):
            marks = {
                e.pk: ("late" if (i + j) % 17 == 0 else "absent" if (i * j) % 23 == 5 else "present")
                for j, e in enumerate(enrolments)
            }
            delivery.mark_attendance(session, marks, actor=trainer)
    return run.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--data-dir")
    parser.add_argument("--skip-load", action="store_true", help="the database is loaded already")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    args = parser.parse_args()
    setup_django(args.data_dir)

    from django.test import Client
    from django.utils import timezone

    from capdev.accounts.models import User
    from capdev.cohorts.models import CourseRun, Enrolment
    from capdev.delivery.models import Attendance, Session
    from capdev.delivery.services import refresh_run_attendance

    load_s = 0.0 if args.skip_load else load(args.scale)
    run_id = bench_class()
    analyse()

    def client(email: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(email=email))
        return c

    staff, trainer, participant, focal = (
        client(f"{who}@capdev.example") for who in ("staff", "trainer", "participant", "focal")
    )
    run = CourseRun.objects.get(pk=run_id)
    today = Session.objects.get(run=run, date=timezone.localdate())
    enrolments = list(Enrolment.objects.filter(run=run).values_list("pk", flat=True))
    marks = {f"status-{pk}": "present" for pk in enrolments}

    def reset() -> None:
        Attendance.objects.filter(session=today).delete()
        Session.objects.filter(pk=today.pk).update(attendance_taken_at=None)
        refresh_run_attendance(run)

    reset()
    pages = [
        ("Run detail, 40 participants (staff)", lambda: staff.get(f"/runs/{run.pk}/")),
        (
            "Attendance sheet, 40 participants (trainer, GET)",
            lambda: trainer.get(f"/sessions/{today.pk}/attendance/"),
        ),
        ("Participant: My learning", lambda: participant.get("/my/learning/")),
        ("Participant: dashboard", lambda: participant.get("/dashboard/")),
        ("Trainer: My runs", lambda: trainer.get("/my/runs/")),
        ("Run list (staff)", lambda: staff.get("/runs/")),
        (
            "Run list, filtered: status + country (staff)",
            lambda: staff.get("/runs/?status=completed&country=BR"),
        ),
        ("Participants (staff)", lambda: staff.get("/participants/")),
        ("Participants (focal point)", lambda: focal.get("/participants/")),
        ("Run overview with the funnel (staff)", lambda: staff.get("/overview/runs/")),
        ("Timetable, 20 sessions", lambda: staff.get(f"/runs/{run.pk}/timetable/")),
        ("Attendance summary, 40 × 20 (staff)", lambda: staff.get(f"/runs/{run.pk}/sessions/attendance/")),
    ]
    wanted = args.only.lower()
    results = [measure(name, fn, runs=args.runs) for name, fn in pages if wanted in name.lower()]
    marking = "Mark 40 in one request (trainer, htmx POST)"
    if wanted in marking.lower():
        results.insert(
            min(2, len(results)),
            measure(
                marking,
                lambda: trainer.post(f"/sessions/{today.pk}/attendance/", marks, HTTP_HX_REQUEST="true"),
                runs=args.runs,
                reset=reset,
            ),
        )
    sheet = "Sign-in sheet PDF, 40 participants"
    pdf = [
        measure(
            sheet,
            lambda: staff.get(f"/sessions/{today.pk}/sign-in-sheet.pdf"),
            runs=max(10, args.runs // 5),
            warmup=2,
        )
        for _ in [1]
        if wanted in sheet.lower()
    ]
    load_avg = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    title = (
        f"{engine()} · scale {args.scale} · {Enrolment.objects.count():,} enrolments · "
        f"{CourseRun.objects.count():,} runs · {Attendance.objects.count():,} attendance marks · "
        f"load {load_s:.0f} s · load average {load_avg} · {platform.machine()} Python {platform.python_version()}"
    )
    print(table(results, title))
    print()
    print(table(pdf, "PDF rendering (WeasyPrint)"))


if __name__ == "__main__":
    main()
