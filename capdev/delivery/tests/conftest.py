"""Fixtures for the delivery tests: the shared delivery scene (capdev.cohorts.testing), moved to
the present so that sessions can be held and marked today.

- `world`: the standard scene (run A for org A trained by the cast's trainer, with the cast's
  participant; run B for org B with person_b);
- `run`: run A, in progress from three days ago to three days ahead (dates in Brazil's time);
- helpers to add participants and sessions.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.utils import timezone

from capdev.cohorts.models import CourseRun, Enrolment, RunStatus
from capdev.cohorts.testing import DeliveryWorld, delivery_world, enrol
from capdev.delivery import services
from capdev.delivery.models import Session
from capdev.learning.testing import with_online_lesson
from capdev.people.models import Person

ZONE = "America/Sao_Paulo"


def today_in(zone: str = ZONE) -> datetime.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()


def days(n: int, zone: str = ZONE) -> datetime.date:
    """The date `n` days from today (in `zone`)."""
    return today_in(zone) + datetime.timedelta(days=n)


def T(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def move_run(run: CourseRun, start: datetime.date, end: datetime.date) -> CourseRun:
    CourseRun.objects.filter(pk=run.pk).update(start_date=start, end_date=end, status=RunStatus.IN_PROGRESS)
    run.refresh_from_db()
    return run


def add_participants(
    run: CourseRun, n: int, *, cleared: bool = True, prefix: str = "Learner", org: Any = None
) -> list[Enrolment]:
    """`n` new people enrolled in `run`, with the online part completed when `cleared`."""
    people = Person.objects.bulk_create(
        [
            Person(first_name=f"{prefix}{i:02d}", last_name=f"{prefix}son{i:02d}", sex="F", organisation=org)
            for i in range(n)
        ]
    )
    done = timezone.now() if cleared else None
    return [enrol(run, p, online_completed_at=done) for p in people]


def add_session(
    run: CourseRun, actor: Any, day: datetime.date, start: str = "09:00", end: str = "12:30", **kw: Any
) -> Session:
    kw.setdefault("timezone", ZONE)
    return services.create_session(run, actor=actor, date=day, start_time=T(start), end_time=T(end), **kw)


@pytest.fixture
def world(cast: Any) -> DeliveryWorld:
    return with_online_lesson(delivery_world(cast))


@pytest.fixture
def run(world: DeliveryWorld) -> CourseRun:
    """Run A, under way: from three days ago to three days ahead."""
    return move_run(world.run_a, days(-3), days(3))
