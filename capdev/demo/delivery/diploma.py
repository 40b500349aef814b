"""The Migration Management Diploma Programme: three cohorts, 58 participants (19 + 19 + 20).

Each cohort is a programme of the three diploma courses (four weeks each) organised by
UNU-MERIT in Maastricht, with a call for applications and a candidate profile: partner
authorities of Mobility Partnership and CAMM countries, a position in migration policy, English
at B2, half of the places for women. 28 people apply to each call (84 applicants, 7 per country,
`mmdp-<country>-NN` in the demo loader); staff shortlist, accept, waitlist and reject with a
reason.

- **Cohort 1 (2021)**: online because of COVID-19: live online sessions, and virtual visits
  instead of field trips. 19 accepted, two left on the waitlist.
- **Cohort 2 (2022)**: in Maastricht with the field trips. One accepted candidate withdraws in
  March (a new post); the seat is offered to the first on the waitlist, who accepts.
- **Cohort 3 (2023)**: opens on 3 April 2023 with a ceremony in Maastricht; field trips on
  26 April (The Hague, Ministry of Security and Justice), 24 May (Geneva, UNHCR headquarters)
  and 21 June (Brussels, DG HOME). 20 accepted.

Two sessions a week per course plus the field trip; attendance marked by programme staff after
each session (mostly present, some late, excused or absent); a participant whose attendance in a
course falls below 80 % does not complete it. Everything is replayed at its own date.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from capdev.catalogue.models import PartKind
from capdev.cohorts import services as cohort_services
from capdev.cohorts.models import Application, Call, CourseRun, Enrolment, Programme, RunStatus, TrainerRole
from capdev.delivery import services as delivery_services
from capdev.demo.catalogue import demo_pdf
from capdev.demo.delivery import common
from capdev.demo.delivery.clock import Clock, replay
from capdev.demo.delivery.common import ABSENT, EXCUSED, LATE, PRESENT, Cast, at
from capdev.people.models import Person
from capdev.reference.models import Country

D = datetime.date
AMS = "Europe/Amsterdam"
COUNTRIES = ("ma", "tn", "jo", "lb", "ng", "gh", "sn", "cv", "ge", "am", "md", "kg")
TRIPS = (
    ("Ministry of Security and Justice", "The Hague", "NL", AMS),
    ("UNHCR headquarters", "Geneva", "CH", "Europe/Zurich"),
    (
        "European Commission, Directorate-General for Migration and Home Affairs (DG HOME)",
        "Brussels",
        "BE",
        "Europe/Brussels",
    ),
)
LECTURERS = ("unu-merit-01", "unu-merit-02", "unu-merit-03")


@dataclass(frozen=True)
class Cohort:
    number: int
    call_opens: D
    deadline: D
    shortlist_on: D
    decide_on: D
    capacity: int
    waitlisted: int
    courses: tuple[D, D, D]  # each course's first day (a Monday or, after Easter, a Tuesday)
    online: bool = False
    opening: bool = False
    withdrawal: tuple[D, D] | None = None  # (withdraws on, offer accepted on)

    @property
    def key(self) -> str:
        return f"mmdp-cohort-{self.number}"


COHORTS = (
    Cohort(1, D(2020, 11, 2), D(2020, 12, 15), D(2021, 1, 11), D(2021, 1, 25), 19, 2,
           (D(2021, 3, 1), D(2021, 4, 6), D(2021, 5, 10)), online=True),
    Cohort(2, D(2021, 10, 4), D(2021, 11, 30), D(2022, 1, 10), D(2022, 1, 24), 19, 3,
           (D(2022, 4, 4), D(2022, 5, 2), D(2022, 5, 30)), withdrawal=(D(2022, 3, 7), D(2022, 3, 9))),
    Cohort(3, D(2022, 10, 3), D(2022, 12, 9), D(2023, 1, 9), D(2023, 1, 23), 20, 2,
           (D(2023, 4, 3), D(2023, 5, 1), D(2023, 5, 29)), opening=True),
)  # fmt: skip

REASONS = {
    "position": (
        "Your position is not in migration policy; the programme is designed for officials who "
        "shape migration policy in their authority."
    ),
    "languages": "The courses are taught in English at an advanced level (B2 or above is required).",
    "other": (
        "There were many strong applications: the selection committee gave priority to candidates "
        "from authorities not yet represented in the programme."
    ),
}
MOTIVATIONS = (
    "My unit is drafting the national migration strategy; the diploma would help me to build it on evidence.",
    "I coordinate our cooperation with the EU under the Mobility Partnership and want to understand its instruments better.",
    "I work on labour migration agreements and would bring the comparative perspective back to my ministry.",
    "Our authority is setting up a policy unit on diaspora engagement; I am one of its first analysts.",
    "I want to strengthen my skills in policy analysis and multi-level governance of migration.",
)


def load(cast: Cast) -> int:
    existing = set(
        Programme.objects.filter(demo_key__in=[c.key for c in COHORTS]).values_list("demo_key", flat=True)
    )
    loaded = 0
    for cohort in COHORTS:
        if cohort.key not in existing:
            _cohort(cast, cohort)
            loaded += 1
    return loaded


def applicants(cast: Cast, number: int) -> list[Person]:
    """The 28 applicants to cohort `number`: of each country's 7 people, those whose place
    (shifted by the country's position) falls on this cohort."""
    out = []
    for c, code in enumerate(COUNTRIES):
        for j, person in enumerate(cast.people(f"mmdp-{code}", 7)):
            if (c + j) % 3 == number - 1:
                out.append(person)
    return out


def _weekdays(first: D, days: tuple[int, ...]) -> list[D]:
    """Dates in the four weeks from the Monday of `first`'s week, on those weekdays (0 = Monday)."""
    monday = first - datetime.timedelta(days=first.weekday())
    return [
        monday + datetime.timedelta(weeks=w, days=d)
        for w in range(4)
        for d in days
        if monday + datetime.timedelta(weeks=w, days=d) >= first
    ]


@transaction.atomic
def _cohort(cast: Cast, cohort: Cohort) -> None:
    rng = random.Random(f"capdev-demo:delivery:diploma:{cohort.number}")
    organiser = cast.org("unu-merit")
    nl = Country.objects.get(code="NL")
    year = cohort.courses[0].year
    with replay() as clock:
        clock.go(at(cohort.call_opens - datetime.timedelta(days=35), 10, zone=AMS))
        programme = cohort_services.create_programme(
            actor=cast.staff,
            code=cohort.key,
            title="Migration Management Diploma Programme",
            cohort_label=f"Cohort {cohort.number} ({year})",
            organiser=organiser,
            description=(
                "Three courses of four weeks at UNU-MERIT in Maastricht, each closing with a field trip "
                "(The Hague, Geneva, Brussels), for civil servants of partner authorities selected from "
                "country analyses and candidate profiles."
                + (" Held online because of COVID-19." if cohort.online else "")
            ),
        )
        Programme.objects.filter(pk=programme.pk).update(demo_key=cohort.key)
        runs = []
        for n, first in enumerate(cohort.courses, start=1):
            version = common.version(f"mmdp-course-{n}")
            last = first - datetime.timedelta(days=first.weekday()) + datetime.timedelta(days=25)
            run = common.new_run(
                cast,
                key=f"run-mmdp-{cohort.number}-{n}",
                trainers=((LECTURERS[n - 1], TrainerRole.LEAD), (LECTURERS[n % 3], TrainerRole.COACH)),
                title=f"Diploma cohort {cohort.number} – course {n}: {version.title.split(': ', 1)[-1]}",
                course_version=version,
                organiser=organiser,
                cohort_label=f"Cohort {cohort.number} ({year})",
                language="en",
                start_date=first,
                end_date=last,
                venue="Online (video conference)" if cohort.online else "UNU-MERIT, Boschstraat 24",
                city="" if cohort.online else "Maastricht",
                country=None if cohort.online else nl,
                capacity=cohort.capacity,
            )
            cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
            cohort_services.add_run(programme, run, actor=cast.staff)
            runs.append(run)

        call = _call(cast, clock, cohort, programme)
        _select(cast, clock, cohort, call, rng)
        for n, run in enumerate(runs, start=1):
            _sessions(cast, clock, cohort, run, n)
        for n, run in enumerate(runs, start=1):
            _deliver(cast, clock, cohort, run, n, rng)
    for run in runs:
        delivery_services.refresh_run_attendance(run)
    cast.say(f"Delivery demo: Migration Management Diploma, cohort {cohort.number}.")


def _call(cast: Cast, clock: Clock, cohort: Cohort, programme: Programme) -> Call:
    clock.go(at(cohort.call_opens - datetime.timedelta(days=7), 10, zone=AMS))
    call = cohort_services.create_call(
        actor=cast.staff,
        programme=programme,
        countries=Country.objects.filter(code__in=[c.upper() for c in COUNTRIES]),
        title=f"Call for applications: Migration Management Diploma, cohort {cohort.number}",
        description=(
            "For civil servants of partner authorities of Mobility Partnership and Common Agenda on "
            "Migration and Mobility countries who work on migration policy. Three courses of four "
            "weeks; travel and accommodation are covered. Attach your CV."
        ),
        opens_at=at(cohort.call_opens, 9, zone=AMS),
        deadline=at(cohort.deadline, 23, 59, zone=AMS),
        accepts_applications=True,
        accepts_nominations=False,
        organisation_types=["partner"],
        positions=["policy", "politique", "política", "migration", "migratoire", "migratória"],
        languages=[{"language": "en", "level": "B2"}],
        women_target_percent=50,
        offer_days=5,
    )
    Call.objects.filter(pk=call.pk).update(demo_key=f"call-mmdp-cohort-{cohort.number}")
    cohort_services.open_call(call, actor=cast.staff)
    span = (cohort.deadline - cohort.call_opens).days
    people = applicants(cast, cohort.number)
    rng = random.Random(f"capdev-demo:delivery:diploma-applications:{cohort.number}")
    days = sorted(rng.randrange(1, span) for _ in people)
    for person, day in zip(people, days, strict=True):
        clock.go(at(cohort.call_opens + datetime.timedelta(days=day), rng.randrange(8, 22), zone=AMS))
        cv = demo_pdf(
            f"Curriculum vitae: {person.first_name} {person.last_name}",
            [person.position, str(person.organisation), "Education, experience and languages."],
        )
        cohort_services.apply_to_call(
            call,
            person,
            actor=None,
            motivation=rng.choice(MOTIVATIONS),
            attachments=[SimpleUploadedFile("cv.pdf", cv, content_type="application/pdf")],
        )
    clock.go(at(cohort.deadline + datetime.timedelta(days=1), 9, zone=AMS))
    cohort_services.close_call(call, actor=cast.staff)
    return call


def _select(cast: Cast, clock: Clock, cohort: Cohort, call: Call, rng: random.Random) -> None:
    """Rank by fit to the profile; accept the best, women and men in turn (the 50 % target),
    then waitlist the next best and reject the others."""
    applications = list(Application.objects.filter(call=call).select_related("person").order_by("pk"))
    ranked = sorted(applications, key=lambda a: (a.fit_misses, rng.random()))
    women = [a for a in ranked if a.person.sex == "F"]
    men = [a for a in ranked if a.person.sex != "F"]
    accepted: list[Application] = []
    while len(accepted) < cohort.capacity and (women or men):
        women_chosen = sum(1 for a in accepted if a.person.sex == "F")
        turn = women if 2 * women_chosen <= len(accepted) else men
        other = men if turn is women else women
        # The turn's best, unless it misses a criterion the other side's best meets.
        pool = turn if turn and (not other or turn[0].fit_misses <= other[0].fit_misses) else other
        accepted.append(pool.pop(0))
    waitlisted = [a for a in ranked if a not in accepted][: cohort.waitlisted]
    chosen = accepted + waitlisted
    shortlisted = {a.pk for a in chosen}
    clock.go(at(cohort.shortlist_on, 10, zone=AMS))
    for application in chosen:
        cohort_services.shortlist_application(application, actor=cast.staff)
    clock.go(at(cohort.decide_on, 10, zone=AMS))
    for application in accepted:
        cohort_services.accept_application(application, actor=cast.staff)
    for application in waitlisted:
        cohort_services.waitlist_application(application, actor=cast.staff)
    for application in ranked:
        if application.pk in shortlisted:
            continue
        fit = application.profile_fit or {}
        reason = REASONS["position"] if fit.get("position") is False else REASONS["other"]
        if fit.get("languages") is False:
            reason = REASONS["languages"]
        cohort_services.reject_application(application, actor=cast.staff, reason=reason)
    if cohort.withdrawal:
        withdraws_on, accepts_on = cohort.withdrawal
        clock.go(at(withdraws_on, 11, zone=AMS))
        cohort_services.withdraw_application(
            accepted[3],
            actor=cast.staff,
            reason="Appointed to a new post; the ministry cannot release the candidate this year.",
        )
        clock.go(at(accepts_on, 15, zone=AMS))
        offered = Application.objects.get(call=call, status="offered")
        cohort_services.accept_offer(offered, actor=None)


def _sessions(cast: Cast, clock: Clock, cohort: Cohort, run: CourseRun, n: int) -> None:
    clock.go(at(run.start_date - datetime.timedelta(days=30), 10, zone=AMS))
    trainers = common.run_trainers(run)
    f2f = common.part(run.course_version, PartKind.FACE_TO_FACE)
    trip_part = common.part(run.course_version, PartKind.FIELD_TRIP)
    institution, city, country, zone = TRIPS[n - 1]
    trip_day = (
        run.start_date
        - datetime.timedelta(days=run.start_date.weekday())
        + datetime.timedelta(weeks=3, days=2)
    )
    if cohort.opening and n == 1:
        delivery_services.create_session(
            run,
            actor=cast.staff,
            trainers=trainers,
            kind="face_to_face",
            title="Opening ceremony",
            part=f2f,
            date=run.start_date,
            start_time=datetime.time(10, 0),
            end_time=datetime.time(12, 30),
            timezone=AMS,
            room="UNU-MERIT, Aula",
            notes="Welcome by the director of UNU-MERIT and the programme's partners; presentation of the cohort.",
        )
    for day in _weekdays(run.start_date, (1, 3)):
        values = {
            "title": f"Week {(day - run.start_date).days // 7 + 1}: lectures and seminar",
            "date": day,
            "timezone": AMS,
        }
        if cohort.online:
            values |= {
                "kind": "live_online",
                "start_time": datetime.time(13, 0),
                "end_time": datetime.time(16, 0),
                "online_link": f"https://meet.merit.unu.example/mmdp-{cohort.number}-{n}",
            }
        else:
            values |= {
                "kind": "face_to_face",
                "part": f2f,
                "start_time": datetime.time(9, 30),
                "end_time": datetime.time(16, 30),
                "room": "UNU-MERIT, Boschstraat 24, room 0.16",
            }
        delivery_services.create_session(run, actor=cast.staff, trainers=trainers, **values)
    if cohort.online:
        delivery_services.create_session(
            run,
            actor=cast.staff,
            trainers=trainers,
            kind="live_online",
            title=f"Virtual visit: {institution}",
            date=trip_day,
            start_time=datetime.time(14, 0),
            end_time=datetime.time(16, 30),
            timezone=AMS,
            online_link=f"https://meet.merit.unu.example/mmdp-{cohort.number}-{n}-visit",
            notes="The field trip was replaced by a virtual visit (COVID-19 travel restrictions).",
        )
    else:
        delivery_services.create_session(
            run,
            actor=cast.staff,
            trainers=trainers,
            kind="field_trip",
            title=f"Field trip to {city}",
            part=trip_part,
            date=trip_day,
            start_time=datetime.time(7, 30),
            end_time=datetime.time(19, 0),
            timezone=zone,
            host_institution=institution,
            destination_city=city,
            destination_country=Country.objects.get(code=country),
            notes="Coach from Maastricht; bring your passport.",
        )


def _deliver(cast: Cast, clock: Clock, cohort: Cohort, run: CourseRun, n: int, rng: random.Random) -> None:
    """Start the run, mark every session after it ends, record the outcomes, complete it."""
    clock.go(at(run.start_date, 8, zone=AMS))
    cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.IN_PROGRESS)
    enrolled = [key for key, e in common.enrolments_by_person(run).items() if e.status != "withdrawn"]
    struggling = {enrolled[(cohort.number * 5) % len(enrolled)]} if n == 3 else set()
    for session in common.sessions_of(run):
        clock.go(session.ends_at + datetime.timedelta(minutes=20))
        exceptions: dict[str, str | tuple[str, str]] = {}
        for key in enrolled:
            roll = rng.random()
            if key in struggling and session.kind != "field_trip" and roll < 0.45:
                exceptions[key] = (ABSENT, "")
            elif session.kind == "field_trip":
                if roll < 0.03:
                    exceptions[key] = (EXCUSED, "Visa appointment.")
            elif roll < 0.04:
                exceptions[key] = LATE
            elif roll < 0.07:
                exceptions[key] = (EXCUSED, "Ill (medical certificate).")
            elif roll < 0.09:
                exceptions[key] = ABSENT
        common.mark(session, run, cast.staff, exceptions, default=PRESENT)
    clock.go(at(run.end_date, 17, zone=AMS))
    for enrolment in Enrolment.objects.filter(run=run).exclude(status="withdrawn"):
        rate = enrolment.attendance_rate or 0
        cohort_services.record_outcome(enrolment, actor=cast.staff, completed=rate >= 80)
    clock.go(at(run.end_date + datetime.timedelta(days=3), 10, zone=AMS))
    cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.COMPLETED)
