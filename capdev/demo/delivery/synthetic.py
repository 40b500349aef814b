"""Synthetic runs for benchmarks (`--scale N`, only when N > 1, like the synthetic Actions).

Per block of the loader's synthetic data (100 organisations, 1,000 people), deterministic from
the block's number alone:

- 50 runs of the published demo versions (the standard ToT, its adaptations, the award, the
  diploma courses), hosted by the block's organisations, organised by the product's owner, each
  two weeks long, starting on a Monday between January 2019 and a month before the load date
  (at the latest the end of 2026), so every run has ended: completed;
- 20 participants per run: the block's 1,000 people, each enrolled once;
- 20 sessions per run (ten days, morning and afternoon, in the host country's time zone): an
  online kick-off on the first day, a field trip to the host on the ninth afternoon, the rest
  face-to-face; `starts_at`/`ends_at` computed like the delivery services do;
- one attendance mark per participant per session (mostly present; some late, excused or absent,
  each participant with their own habits), and only absent or excused at in-person sessions for
  the few who did not complete a gating online part;
- the enrolment figures those marks give (sessions attended and counted, attendance rate, the
  formula of `delivery.services.refresh_attendance`), the online part (lessons done, the SCORM
  quiz, progress, started and completed) with its lesson and SCORM rows, and the outcome
  (completed when attendance reaches 80 % and the online part is done where it gates).

`--scale 100` gives 5,000 runs, 100,000 enrolments, 100,000 sessions and 2,000,000 marks. Rows
are inserted with `bulk_create` in batches (the marks with COPY on PostgreSQL), one block per
transaction (bounded memory, and PostgreSQL checks each block's foreign keys at its commit),
without audit events. A block whose runs exist is skipped.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, models, transaction

from capdev.catalogue.models import CourseVersion, DeliveryPart, PartKind
from capdev.cohorts.models import CourseRun, Enrolment, EnrolmentStatus, RunStatus, RunTrainer, TrainerRole
from capdev.competencies.models import VersionStatus
from capdev.delivery.models import ATTENDED, Attendance, AttendanceStatus, Session, SessionKind
from capdev.delivery.timezones import main_zone
from capdev.demo.delivery.clock import system_now, system_today
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt, ScormPackage
from capdev.organisations.models import Organisation
from capdev.people.models import Person

Progress = Callable[[str], None]
D = datetime.date
RUNS_PER_UNIT = 50
PARTICIPANTS = 20
DAYS = 10
SESSIONS = 2 * DAYS
FIRST_MONDAY = D(2019, 1, 7)
LAST_START = D(2026, 12, 14)
BATCH = 2000
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://capdev.example/demo/delivery/synthetic")
SLOTS = ((datetime.time(9, 0), datetime.time(12, 30)), (datetime.time(14, 0), datetime.time(17, 0)))
# The demo products a synthetic run may deliver, with their weights.
PRODUCTS = (
    ("tot-standard", 2, 30),
    ("tot-standard", 1, 8),
    ("adaptation-dpu-tot-pt", 1, 8),
    ("adaptation-dgme-tot-es", 1, 10),
    ("mcp-award-training", 1, 20),
    ("mmdp-course-1", 1, 8),
    ("mmdp-course-2", 1, 8),
    ("mmdp-course-3", 1, 8),
)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class Product:
    """What a synthetic run needs to know about a published demo version."""

    version_id: int
    title: str
    owner_id: int
    languages: list[str]
    online_part: int | None
    f2f_part: int | None
    trip_part: int | None
    gated: bool
    lessons: list[tuple[int, int]] = field(default_factory=list)  # (lesson id, minutes)
    packages: list[tuple[int, str, Decimal | None]] = field(default_factory=list)  # (id, SCO id, pass mark)

    @property
    def items(self) -> int:
        return len(self.lessons) + len(self.packages)


def products() -> tuple[list[Product], list[int]]:
    """The published demo versions a synthetic run delivers, and their weights."""
    found: list[Product] = []
    weights: list[int] = []
    for course_key, number, weight in PRODUCTS:
        version = (
            CourseVersion.objects.filter(
                course__demo_key=course_key, number=number, status=VersionStatus.PUBLISHED
            )
            .select_related("course")
            .first()
        )
        if version is None:
            continue
        parts = list(DeliveryPart.objects.filter(version=version).order_by("position"))
        online = next((p for p in parts if p.kind == PartKind.ONLINE_SELF_PACED), None)
        product = Product(
            version_id=version.pk,
            title=version.title,
            owner_id=version.course.owner_id,
            languages=[str(code) for code in (version.languages or [])] or ["en"],
            online_part=online.pk if online else None,
            f2f_part=next((p.pk for p in parts if p.kind == PartKind.FACE_TO_FACE), None),
            trip_part=next((p.pk for p in parts if p.kind == PartKind.FIELD_TRIP), None),
            gated=bool(online and online.gates_next),
            lessons=list(
                OnlineLesson.objects.filter(module__version=version)
                .online()
                .order_by("module__position", "position", "pk")
                .values_list("pk", "estimated_minutes")
            ),
            packages=[
                (p.pk, str(p.scos[0]["id"]), p.mastery_score)
                for p in ScormPackage.objects.filter(module__version=version)
                .online()
                .order_by("module__position", "pk")
                if p.scos
            ],
        )
        found.append(product)
        weights.append(weight)
    return found, weights


@contextlib.contextmanager
def timestamps_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Inside the block, `auto_now_add`/`auto_now` fields of these models keep the values the
    rows carry (the synthetic history is dated like the runs it describes)."""
    switched: list[tuple[Any, str]] = []
    try:
        for model in model_classes:
            for f in model._meta.concrete_fields:
                for flag in ("auto_now", "auto_now_add"):
                    if getattr(f, flag, False):
                        setattr(f, flag, False)
                        switched.append((f, flag))
        yield
    finally:
        for f, flag in switched:
            setattr(f, flag, True)


def rate(attended: int, counted: int) -> Decimal | None:
    if counted <= 0:
        return None
    return (Decimal(attended) * HUNDRED / Decimal(counted)).quantize(CENT, rounding=ROUND_HALF_UP)


def _moment(day: D, time: datetime.time, zone: str) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(datetime.UTC)


def _evening(day: D, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randrange(7, 22), rng.randrange(0, 60)), tzinfo=datetime.UTC
    )


def load(scale: int, say: Progress) -> int:
    """Write the synthetic blocks that do not exist yet; return how many runs were written."""
    if scale <= 1:
        return 0
    catalogue, weights = products()
    if not catalogue:
        say("Synthetic runs skipped: load the demo catalogue first.")
        return 0
    existing = set(
        CourseRun.objects.filter(demo_key__startswith="syn-run-").values_list("demo_key", flat=True)
    )
    experts = list(
        Person.objects.filter(demo_key__startswith="expert-")
        .exclude(demo_key="expert-01")
        .order_by("demo_key")
        .values_list("pk", flat=True)
    )
    last_start = min(LAST_START, system_today() - datetime.timedelta(days=30))
    created = 0
    for unit in range(scale):
        keys = [f"syn-run-{unit * RUNS_PER_UNIT + i}" for i in range(1, RUNS_PER_UNIT + 1)]
        if all(k in existing for k in keys):
            continue
        if any(k in existing for k in keys):
            say(f"Synthetic runs of block {unit + 1} are incomplete; the block is left as it is.")
            continue
        with transaction.atomic():  # a block at a time: a failure leaves whole blocks only
            written = _unit(unit, catalogue, weights, experts, last_start)
        if not written:
            say(f"Synthetic runs of block {unit + 1} skipped: its synthetic people are not loaded.")
            continue
        created += written
        if (unit + 1) % 10 == 0 or unit == scale - 1:
            say(f"Synthetic runs: {(unit + 1) * RUNS_PER_UNIT:,} of {scale * RUNS_PER_UNIT:,}.")
    if created:
        say(f"Synthetic delivery: {created:,} runs created.")
    return created


def _unit(unit: int, catalogue: list[Product], weights: list[int], experts: list[int], last_start: D) -> int:
    from capdev.demo.loader import SYN_PEOPLE_PER_UNIT, synthetic_organisations

    rng = random.Random(f"capdev-demo:syn-delivery:{unit}")
    first_person = unit * SYN_PEOPLE_PER_UNIT + 1
    person_keys = [f"syn-person-{n}" for n in range(first_person, first_person + SYN_PEOPLE_PER_UNIT)]
    people = dict(Person.objects.filter(demo_key__in=person_keys).values_list("demo_key", "pk"))
    org_specs = synthetic_organisations(unit)
    orgs = dict(
        Organisation.objects.filter(demo_key__in=[o.key for o in org_specs]).values_list("demo_key", "pk")
    )
    if len(people) < RUNS_PER_UNIT * PARTICIPANTS or len(orgs) < len(org_specs):
        return 0
    order = [people[k] for k in person_keys]
    rng.shuffle(order)
    now = system_now()
    span = (last_start - FIRST_MONDAY).days // 7

    runs: list[CourseRun] = []
    plans: list[tuple[Product, str]] = []
    for i in range(RUNS_PER_UNIT):
        n = unit * RUNS_PER_UNIT + i + 1
        product = rng.choices(catalogue, weights=weights)[0]
        host = org_specs[rng.randrange(len(org_specs))]
        start = FIRST_MONDAY + datetime.timedelta(weeks=rng.randrange(0, span + 1))
        end = start + datetime.timedelta(days=11)
        zone = main_zone(host.country) or "UTC"
        created = _evening(start - datetime.timedelta(days=rng.randrange(45, 120)), rng)
        runs.append(
            CourseRun(
                uuid=uuid.uuid5(NAMESPACE, f"run/{n}"),
                code=f"syn-run-{n}",
                demo_key=f"syn-run-{n}",
                title=f"{product.title} – {host.address} {start.year}",
                course_version_id=product.version_id,
                organiser_id=product.owner_id,
                host_id=orgs[host.key],
                cohort_label=f"Cohort {n}",
                language=rng.choice(product.languages),
                start_date=start,
                end_date=end,
                venue=host.name,
                city=host.address,
                country_id=host.country,
                capacity=PARTICIPANTS + rng.choice((0, 0, 2, 5)),
                status=RunStatus.COMPLETED,
                created_at=created,
                updated_at=_evening(end + datetime.timedelta(days=3), rng),
            )
        )
        plans.append((product, zone))
    with timestamps_as_given(CourseRun, Session, Enrolment, ScormAttempt):
        CourseRun.objects.bulk_create(runs, batch_size=BATCH)
        trainers = []
        for run in runs:
            picked = rng.sample(experts, k=min(len(experts), rng.choice((1, 2, 2))))
            for j, person_id in enumerate(picked):
                trainers.append(
                    RunTrainer(
                        run_id=run.pk,
                        person_id=person_id,
                        role=TrainerRole.LEAD if j == 0 else TrainerRole.CO_TRAINER,
                    )
                )
        RunTrainer.objects.bulk_create(trainers, batch_size=BATCH)
        sessions = _sessions(runs, plans, org_specs, orgs, rng)
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        enrolments, habits, cleared = _enrolments(runs, plans, order, rng)
        marks = _attendance(runs, plans, sessions, enrolments, habits, cleared, now, rng)
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        _online_rows(enrolments, plans, rng)
        insert_marks(
            (session_id, enrolments[i].pk, status, marked_at) for session_id, i, status, marked_at in marks
        )
    return len(runs)


def _sessions(
    runs: list[CourseRun],
    plans: list[tuple[Product, str]],
    org_specs: Any,
    orgs: dict[str, int],
    rng: random.Random,
) -> list[Session]:
    hosts = {orgs[o.key]: o for o in org_specs}
    out: list[Session] = []
    for run, (product, zone) in zip(runs, plans, strict=True):
        host = hosts[run.host_id]  # type: ignore[index]
        days = [run.start_date + datetime.timedelta(days=d) for d in range(14) if d % 7 < 5][:DAYS]
        for d, day in enumerate(days):
            for s, (begin, finish) in enumerate(SLOTS):
                values: dict[str, Any] = {"kind": SessionKind.FACE_TO_FACE, "part_id": product.f2f_part}
                if d == 0:
                    values = {
                        "kind": SessionKind.LIVE_ONLINE,
                        "part_id": product.online_part,
                        "title": "Kick-off (online)" if s == 0 else "Online: expectations and objectives",
                        "online_link": f"https://meet.capdev.example/{run.code}",
                    }
                elif d == 8 and s == 1:
                    values = {
                        "kind": SessionKind.FIELD_TRIP,
                        "part_id": product.trip_part,
                        "title": "Field trip",
                        "host_institution": host.name,
                        "destination_city": host.address,
                        "destination_country_id": host.country,
                    }
                else:
                    values["title"] = f"Day {d + 1}: {'morning' if s == 0 else 'afternoon'}"
                    values["room"] = f"{host.name}, training room"
                starts = _moment(day, begin, zone)
                ends = _moment(day, finish, zone)
                out.append(
                    Session(
                        uuid=uuid.uuid5(NAMESPACE, f"session/{run.code}/{d}/{s}"),
                        run_id=run.pk,
                        date=day,
                        start_time=begin,
                        end_time=finish,
                        timezone=zone,
                        starts_at=starts,
                        ends_at=ends,
                        attendance_taken_at=ends,
                        created_at=run.created_at,
                        updated_at=ends,
                        **values,
                    )
                )
    return out


@dataclass
class Habit:
    """How a participant attends: chances of being absent, late, excused (per session)."""

    absent: float
    late: float
    excused: float


HABITS = (Habit(0.01, 0.03, 0.02), Habit(0.03, 0.05, 0.03), Habit(0.06, 0.08, 0.04), Habit(0.25, 0.1, 0.05))
HABIT_WEIGHTS = (55, 30, 12, 3)


def _enrolments(
    runs: list[CourseRun], plans: list[tuple[Product, str]], order: list[int], rng: random.Random
) -> tuple[list[Enrolment], list[Habit], list[bool]]:
    """The participants with their online part; `cleared` says who may be marked present at an
    in-person session (the gate)."""
    enrolments: list[Enrolment] = []
    habits: list[Habit] = []
    cleared: list[bool] = []
    for r, (run, (product, _zone)) in enumerate(zip(runs, plans, strict=True)):
        for person_id in order[r * PARTICIPANTS : (r + 1) * PARTICIPANTS]:
            enrolled = _evening(run.start_date - datetime.timedelta(days=rng.randrange(25, 40)), rng)
            e = Enrolment(
                run_id=run.pk,
                person_id=person_id,
                status=EnrolmentStatus.ENROLLED,
                enrolled_at=enrolled,
                created_at=enrolled,
                updated_at=_evening(run.end_date, rng),
            )
            if product.items:
                roll = rng.random()
                done = (
                    product.items if roll < 0.95 else (rng.randrange(1, product.items) if roll < 0.98 else 0)
                )
                e.online_progress = (100 * done) // product.items
                if done:
                    e.online_started_at = _evening(
                        run.start_date - datetime.timedelta(days=rng.randrange(14, 24)), rng
                    )
                if done == product.items:
                    e.online_completed_at = _evening(
                        run.start_date - datetime.timedelta(days=rng.randrange(1, 7)), rng
                    )
                e._done_items = done  # type: ignore[attr-defined]
            enrolments.append(e)
            habits.append(rng.choices(HABITS, weights=HABIT_WEIGHTS)[0])
            cleared.append(not product.gated or e.online_completed_at is not None)
    return enrolments, habits, cleared


def _online_rows(enrolments: list[Enrolment], plans: list[tuple[Product, str]], rng: random.Random) -> None:
    """The lesson and SCORM rows behind each enrolment's online progress: items done in course
    order (lessons, then the quiz) between starting and completing the online part."""
    progress: list[LessonProgress] = []
    attempts: list[ScormAttempt] = []
    by_run = {e.run_id: plans[i // PARTICIPANTS][0] for i, e in enumerate(enrolments)}
    for e in enrolments:
        product = by_run[e.run_id]
        done = getattr(e, "_done_items", 0)
        if not done or e.online_started_at is None:
            continue
        begin = e.online_started_at
        finish = e.online_completed_at or begin + datetime.timedelta(days=5)
        step = (finish - begin) / max(done, 1)
        for k, (lesson_id, minutes) in enumerate(product.lessons[:done]):
            opened = begin + step * k
            progress.append(
                LessonProgress(
                    enrolment_id=e.pk,
                    lesson_id=lesson_id,
                    opened_at=opened,
                    completed_at=opened + datetime.timedelta(minutes=minutes + rng.randrange(0, 10)),
                )
            )
        for package_id, sco_id, mastery in product.packages[: max(0, done - len(product.lessons))]:
            launched = finish - datetime.timedelta(minutes=rng.randrange(10, 40))
            seconds = Decimal(rng.randrange(300, 1500))
            score = Decimal(rng.choice((80, 100, 100)) if mastery is not None else 100)
            attempts.append(
                ScormAttempt(
                    enrolment_id=e.pk,
                    package_id=package_id,
                    sco_id=sco_id,
                    lesson_status="passed",
                    completion_status="completed",
                    success_status="passed",
                    score_raw=score,
                    score_min=Decimal(0),
                    score_max=HUNDRED,
                    score_scaled=score / HUNDRED,
                    total_seconds=seconds,
                    session_seconds=seconds,
                    session_time_reported=True,
                    launches=1,
                    commits=2,
                    first_launched_at=launched,
                    launched_at=launched,
                    last_committed_at=finish,
                    done_at=finish,
                    created_at=launched,
                    updated_at=finish,
                )
            )
    LessonProgress.objects.bulk_create(progress, batch_size=BATCH)
    ScormAttempt.objects.bulk_create(attempts, batch_size=BATCH)


def _attendance(
    runs: list[CourseRun],
    plans: list[tuple[Product, str]],
    sessions: list[Session],
    enrolments: list[Enrolment],
    habits: list[Habit],
    cleared: list[bool],
    now: datetime.datetime,
    rng: random.Random,
) -> list[tuple[int, int, str, datetime.datetime]]:
    """One mark per participant per held session, as (session id, index of the enrolment,
    status, marked at); the enrolments (not saved yet) get the figures and the outcome."""
    by_run: dict[int, list[Session]] = {}
    for s in sessions:
        by_run.setdefault(s.run_id, []).append(s)
    marks: list[tuple[int, int, str, datetime.datetime]] = []
    for i, e in enumerate(enrolments):
        habit, may_attend = habits[i], cleared[i]
        attended = excused = held = 0
        for s in by_run[e.run_id]:
            if s.starts_at > now:
                continue
            held += 1
            roll = rng.random()
            if roll < habit.absent:
                status = AttendanceStatus.ABSENT
            elif roll < habit.absent + habit.late:
                status = AttendanceStatus.LATE
            elif roll < habit.absent + habit.late + habit.excused:
                status = AttendanceStatus.EXCUSED
            else:
                status = AttendanceStatus.PRESENT
            if not may_attend and s.kind != SessionKind.LIVE_ONLINE and status in ATTENDED:
                status = AttendanceStatus.ABSENT
            attended += status in ATTENDED
            excused += status == AttendanceStatus.EXCUSED
            marks.append((s.pk, i, str(status), s.ends_at + datetime.timedelta(minutes=rng.randrange(0, 45))))
        counted = max(held - excused, 0)
        e.sessions_attended, e.sessions_counted, e.attendance_rate = (
            attended,
            counted,
            rate(attended, counted),
        )
        run = runs[i // PARTICIPANTS]
        online_ok = not plans[i // PARTICIPANTS][0].gated or e.online_completed_at is not None
        good = e.attendance_rate is not None and e.attendance_rate >= 80 and online_ok
        e.status = EnrolmentStatus.COMPLETED if good else EnrolmentStatus.NOT_COMPLETED
        if good:
            e.completed_at = datetime.datetime.combine(run.end_date, datetime.time(17), tzinfo=datetime.UTC)
    return marks


def insert_marks(rows: Iterable[tuple[int, int, str, datetime.datetime]]) -> int:
    """Insert attendance marks (session id, enrolment id, status, marked at) without building a
    model instance per row: COPY on PostgreSQL, one executemany elsewhere (two million rows at
    `--scale 100`). Returns how many were written."""
    table = connection.ops.quote_name(Attendance._meta.db_table)
    columns = "session_id, enrolment_id, status, note, marked_at"
    data = [(session, enrolment, status, "", at) for session, enrolment, status, at in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608 - constants
            cursor.executemany(sql, data)
    return len(data)
