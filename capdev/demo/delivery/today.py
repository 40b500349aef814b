"""A run alive on the day the demo is loaded: the Mediterranean training institute's accredited
award (2 ECTS), in Arabic, in Valletta, for 18 officials of Jordan, Lebanon, Libya, Morocco and
Tunisia.

Dates are relative to the load date (fixed by the first load): four face-to-face days, of which
the load date is the third. The partner authorities sent their nominations by letter and staff
recorded them on a call; 17 participants completed the online preparatory part in the weeks
before; one, on sick leave during those weeks, was admitted to the face-to-face part by staff
with a reason. The trainers marked attendance on the first two days; today's session is not
marked yet, so the trainer demo login (expert-01, co-trainer) finds it under "Today" and "My
runs". The run is in Arabic: its pages and sign-in sheet read right to left.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from capdev.cohorts import services as cohort_services
from capdev.cohorts.models import Call, CourseRun, Enrolment, RunStatus, TrainerRole
from capdev.delivery import services as delivery_services
from capdev.demo.delivery import common
from capdev.demo.delivery.clock import replay, system_today
from capdev.demo.delivery.common import EXCUSED, LATE, Cast, at
from capdev.reference.models import Country

KEY = "run-award-valletta"
MALTA = "Europe/Malta"
GROUPS = (("award-jo", 4), ("award-lb", 4), ("award-ly", 3), ("award-ma", 4), ("award-tn", 3))
WAIVED = "award-ly-02"
WAIVER_REASON = (
    "On sick leave during the preparatory weeks (medical certificate sent by the ministry); does the "
    "remaining preparatory tasks in the evenings in Valletta, with the trainers' support."
)
DAYS: tuple[dict[str, str | tuple[str, str]], ...] = (
    {"award-ma-03": (LATE, "Flight from Rabat landed at 08:40.")},
    {"award-jo-02": (EXCUSED, "Appointment at the embassy (visa)."), "award-tn-01": LATE},
)


def load(cast: Cast) -> int:
    if CourseRun.objects.filter(demo_key=KEY).exists():
        return 0
    _load(cast)
    return 1


def _ago(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    return common.relative(days, hour, MALTA, minute)


@transaction.atomic
def _load(cast: Cast) -> None:
    rng = random.Random("capdev-demo:delivery:award-today")
    award = common.version("mcp-award-training")
    today = system_today()
    first_day = today - datetime.timedelta(days=2)
    people = [p for prefix, n in GROUPS for p in cast.people(prefix, n)]
    with replay() as clock:
        clock.go(_ago(75, 10))
        run = common.new_run(
            cast,
            key=KEY,
            trainers=(("expert-45", TrainerRole.LEAD), ("expert-01", TrainerRole.CO_TRAINER)),
            title="شهادة التدريب للعاملين في مجال الهجرة – فاليتا",
            course_version=award,
            organiser=cast.org("mcp-med-ti"),
            cohort_label="الدفعة العربية",
            language="ar",
            start_date=first_day,
            end_date=first_day + datetime.timedelta(days=3),
            venue="MCP Med Training Institute, Triq il-Merkanti",
            city="Valletta",
            country=Country.objects.get(code="MT"),
            capacity=18,
        )
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
        call = cohort_services.create_call(
            actor=cast.staff,
            run=run,
            countries=Country.objects.filter(code__in=["JO", "LB", "LY", "MA", "TN"]),
            title="Nominations: Award in Training for Migration Practitioners, Valletta (Arabic)",
            description=(
                "Partner authorities of Jordan, Lebanon, Libya, Morocco and Tunisia nominate officials who "
                "train their colleagues. Online preparation of 29 hours, then four days in Valletta."
            ),
            deadline=_ago(50, 17),
            accepts_applications=False,
            accepts_nominations=True,
            organisation_types=["partner"],
            positions=["train", "formation", "formateur", "formatrice", "instructor"],
            languages=[{"language": "ar", "level": "C1"}],
            women_target_percent=50,
        )
        Call.objects.filter(pk=call.pk).update(demo_key="call-award-valletta")
        cohort_services.open_call(call, actor=cast.staff)
        applications = []
        for i, person in enumerate(people):
            clock.go(_ago(70 - i, 11))
            applications.append(
                cohort_services.add_candidate(
                    call, person, actor=cast.staff, motivation="Nominated by letter of the partner authority."
                )
            )
        clock.go(_ago(49, 9))
        cohort_services.close_call(call, actor=cast.staff)
        clock.go(_ago(45, 10))
        for application in applications:
            cohort_services.accept_application(application, actor=cast.staff)

        enrolments = common.enrolments_by_person(run)
        for person in people:
            key = person.demo_key or ""
            start = _ago(40 - rng.randrange(0, 6), 9)
            if key == WAIVED:
                common.take_online_part(
                    clock, enrolments[key], None, start=start, days=3, rng=rng, lessons_done=1
                )
            else:
                common.take_online_part(
                    clock, enrolments[key], None, start=start, days=rng.randrange(12, 25), rng=rng
                )
        clock.go(_ago(30, 10))
        delivery_services.add_daily_sessions(
            run,
            actor=cast.staff,
            part=common.f2f_part(award),
            first_day=first_day,
            days=4,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(13, 30),
            timezone=MALTA,
            room="MCP Med Training Institute, training room 1",
            skip_weekends=False,
            trainers=common.run_trainers(run),
        )
        clock.go(_ago(4, 15))
        cohort_services.waive_online_gate(
            Enrolment.objects.get(pk=enrolments[WAIVED].pk), actor=cast.staff, reason=WAIVER_REASON
        )
        clock.go(_ago(2, 8))
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.IN_PROGRESS)
        for session, exceptions in zip(common.sessions_of(run)[:2], DAYS, strict=True):
            clock.go(at(session.date, 13, 45, zone=MALTA))
            common.mark(session, run, cast.trainer, exceptions)
    delivery_services.refresh_run_attendance(run)
    cast.say("Delivery demo: the award in Valletta (in Arabic), day 3 of 4 today.")
