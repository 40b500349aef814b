"""What the named delivery stories share: the cast (logins, people, organisations, course
versions), and small steps written once (a run with its trainers, a class's attendance marks,
the online part taken by a participant)."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from capdev.accounts.models import User
from capdev.catalogue.models import CourseVersion, DeliveryPart, PartKind
from capdev.cohorts import services as cohort_services
from capdev.cohorts.models import CourseRun, Enrolment, RunTrainer
from capdev.delivery import services as delivery_services
from capdev.delivery.models import AttendanceStatus, Session
from capdev.demo.delivery.clock import Clock, system_now, system_today
from capdev.learning import services as learning_services
from capdev.learning.models import OnlineLesson, ScormPackage
from capdev.organisations.models import Organisation
from capdev.people.models import Person

Progress = Callable[[str], None]
D = datetime.date
T = datetime.time

STAFF = "staff@capdev.example"
FOCAL = "focal@capdev.example"
FOCAL_CR = "focal.costarica@capdev.example"
TRAINER = "trainer@capdev.example"
PARTICIPANT = "participant@capdev.example"

PRESENT, LATE, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


class MissingDemoData(RuntimeError):
    """The delivery demo needs the rest of the demo programme first."""


@dataclass
class Cast:
    """The demo's logins, and lookups of people, organisations and course versions by demo key."""

    staff: User
    focal: User
    focal_cr: User
    trainer: User
    participant: User
    say: Progress
    _people: dict[str, Person] = field(default_factory=dict)
    _orgs: dict[str, Organisation] = field(default_factory=dict)

    @classmethod
    def load(cls, say: Progress) -> Cast:
        users = {
            u.email: u for u in User.objects.filter(email__in=[STAFF, FOCAL, FOCAL_CR, TRAINER, PARTICIPANT])
        }
        missing = {STAFF, FOCAL, FOCAL_CR, TRAINER, PARTICIPANT} - set(users)
        if missing:
            raise MissingDemoData(
                f"Demo logins missing: {', '.join(sorted(missing))}; load the demo programme first."
            )
        return cls(users[STAFF], users[FOCAL], users[FOCAL_CR], users[TRAINER], users[PARTICIPANT], say)

    def person(self, key: str) -> Person:
        if key not in self._people:
            person = Person.objects.filter(demo_key=key).select_related("organisation").first()
            if person is None:
                raise MissingDemoData(f"Demo person {key} missing; load the demo programme first.")
            self._people[key] = person
        return self._people[key]

    def people(self, prefix: str, count: int) -> list[Person]:
        """`<prefix>-01` … `<prefix>-<count>`."""
        keys = [f"{prefix}-{i:02d}" for i in range(1, count + 1)]
        found = {
            p.demo_key: p for p in Person.objects.filter(demo_key__in=keys).select_related("organisation")
        }
        missing = [k for k in keys if k not in found]
        if missing:
            raise MissingDemoData(
                f"Demo people missing: {', '.join(missing[:5])}…; load the demo programme first."
            )
        self._people.update(found)
        return [found[k] for k in keys]

    def org(self, key: str) -> Organisation:
        if key not in self._orgs:
            org = Organisation.objects.filter(demo_key=key).first()
            if org is None:
                raise MissingDemoData(f"Demo organisation {key} missing; load the demo programme first.")
            self._orgs[key] = org
        return self._orgs[key]

    def login_of(self, person: Person) -> User | None:
        """The person's login (the demo logins), else None: the service records "system"."""
        return person.user if person.user_id else None


def version(course_key: str, number: int = 1) -> CourseVersion:
    found = CourseVersion.objects.filter(course__demo_key=course_key, number=number).first()
    if found is None:
        raise MissingDemoData(f"Course {course_key} version {number} missing; load the demo catalogue first.")
    return found


def part(v: CourseVersion, kind: str) -> DeliveryPart | None:
    return DeliveryPart.objects.filter(version=v, kind=kind).order_by("position").first()


def f2f_part(v: CourseVersion) -> DeliveryPart | None:
    return part(v, PartKind.FACE_TO_FACE)


def at(day: D, hour: int, minute: int = 0, zone: str = "UTC") -> datetime.datetime:
    return datetime.datetime.combine(day, T(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


def relative(days: int, hour: int, zone: str, minute: int = 0) -> datetime.datetime:
    """`days` before the load date (negative: after) at `hour` in `zone`; a moment still ahead
    is brought back to an hour ago (the story happened before the load)."""
    moment = at(system_today() - datetime.timedelta(days=days), hour, minute, zone=zone)
    return min(moment, system_now() - datetime.timedelta(hours=1))


def new_run(
    cast: Cast,
    *,
    key: str,
    trainers: Iterable[tuple[str, str]] = (),
    **values: Any,
) -> CourseRun:
    """Plan a run through the service, give it its demo key and its trainers (person key, role)."""
    run = cohort_services.create_run(actor=cast.staff, **values)
    CourseRun.objects.filter(pk=run.pk).update(demo_key=key)
    run.demo_key = key
    for person_key, role in trainers:
        cohort_services.add_trainer(run, cast.person(person_key), actor=cast.staff, role=role)
    return run


def run_trainers(run: CourseRun) -> list[RunTrainer]:
    return list(RunTrainer.objects.filter(run=run).select_related("person").order_by("role", "pk"))


def enrolments_by_person(run: CourseRun) -> dict[str, Enrolment]:
    """The run's enrolments by their person's demo key."""
    return {
        e.person.demo_key or str(e.person_id): e
        for e in Enrolment.objects.filter(run=run).select_related("person").order_by("pk")
    }


def mark(
    session: Session,
    run: CourseRun,
    actor: Any,
    exceptions: Mapping[str, tuple[str, str] | str] | None = None,
    *,
    default: str = PRESENT,
    skip: Iterable[str] = (),
) -> None:
    """Mark the whole class at `session` at once: everyone `default` except `exceptions`
    ({person key: status or (status, note)}); `skip` leaves people without a mark."""
    exceptions = exceptions or {}
    skipped = set(skip)
    marks = []
    for key, enrolment in enrolments_by_person(run).items():
        if enrolment.status == "withdrawn" or key in skipped:
            continue
        value = exceptions.get(key, default)
        status, note = value if isinstance(value, tuple) else (value, "")
        marks.append(delivery_services.Mark(enrolment.pk, status, note))
    delivery_services.mark_attendance(session, marks, actor=actor)


def sessions_of(run: CourseRun) -> list[Session]:
    return list(Session.objects.filter(run=run).order_by("starts_at", "pk"))


def take_online_part(
    clock: Clock,
    enrolment: Enrolment,
    actor: Any,
    *,
    start: datetime.datetime,
    days: int,
    rng: random.Random,
    lessons_done: int | None = None,
    score: int | None = None,
) -> None:
    """The participant works through the online part between `start` and `start + days`: lessons
    opened and done in order (the first `lessons_done`, or all), then the SCORM quiz passed with
    `score` (skipped when `score` is None or not every lesson is done)."""
    content = learning_services.online_content(enrolment.run.course_version_id)
    lessons: list[OnlineLesson] = content.lessons
    todo = lessons if lessons_done is None else lessons[:lessons_done]
    steps = max(len(todo) + len(content.packages), 1)
    for i, lesson in enumerate(todo):
        offset = datetime.timedelta(days=days * i / steps, minutes=rng.randrange(0, 600))
        clock.go(start + offset)
        learning_services.open_lesson(enrolment, lesson, actor=actor)
        clock.go(start + offset + datetime.timedelta(minutes=lesson.estimated_minutes + rng.randrange(0, 15)))
        learning_services.complete_lesson(enrolment, lesson, actor=actor)
    if score is None or len(todo) < len(lessons):
        return
    for package in content.packages:
        clock.go(start + datetime.timedelta(days=days - 1, minutes=rng.randrange(0, 600)))
        pass_quiz(clock, enrolment, package, actor, score=score, rng=rng)


def pass_quiz(
    clock: Clock, enrolment: Enrolment, package: ScormPackage, actor: Any, *, score: int, rng: random.Random
) -> None:
    """Launch the package's first SCO and send what the demo quiz sends when it is answered."""
    attempt, _data = learning_services.launch_sco(enrolment, package, None, actor=actor)
    minutes = rng.randrange(6, 19)
    if moment := clock.moment:
        clock.go(moment + datetime.timedelta(minutes=minutes))
    passed = score >= int(package.mastery_score or 0)
    learning_services.commit_cmi(
        enrolment,
        package,
        attempt.sco_id,
        actor=actor,
        session_key=attempt.session_key,
        data={
            "cmi.core.score.min": "0",
            "cmi.core.score.max": "100",
            "cmi.core.score.raw": str(score),
            "cmi.core.lesson_status": "passed" if passed else "failed",
            "cmi.core.session_time": f"00:{minutes:02d}:{rng.randrange(0, 60):02d}",
            "cmi.core.exit": "",
        },
        final=True,
    )


def quiz_score(rng: random.Random) -> int:
    """A passing score of the five-question quiz (4 or 5 right)."""
    return rng.choice((80, 100, 100))
