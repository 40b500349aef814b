"""Builders shared by the tests of the cohorts, learning and delivery apps (and the portal).

They write rows directly (not through the services) so that service tests start from a known
state. `delivery_world(cast)` gives the standard scene:

- a published blended course version: an online self-paced part that gates the next part
  (modules 1–2), then 5 face-to-face days (module 3), with an attendance rule of 80 %;
- run A for org A (the focal point's organisation, Brazil), capacity 3, trained by the cast's
  trainer; the cast's participant is enrolled;
- run B for org B (the outsider's, Costa Rica), with person_b enrolled.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from capdev.catalogue.models import (
    CompletionRule,
    Course,
    CourseVersion,
    DeliveryPart,
    Module,
    PartKind,
    RuleKind,
)
from capdev.cohorts.models import CourseRun, Enrolment, RunStatus, RunTrainer, TrainerRole
from capdev.competencies.models import VersionStatus

D = datetime.date
RUN_START = D(2026, 12, 7)
RUN_END = D(2026, 12, 11)


def make_version(
    owner: Any, *, code: str = "tot-delivery", title: str = "Vocational Train the Trainers"
) -> CourseVersion:
    course = Course.objects.create(code=code, owner=owner)
    version = CourseVersion.objects.create(
        course=course,
        number=1,
        title=title,
        mode="blended",
        status=VersionStatus.PUBLISHED,
        languages=["en", "pt"],
        contact_hours=Decimal(30),
        self_study_hours=Decimal(10),
    )
    online = DeliveryPart.objects.create(
        version=version, position=1, kind=PartKind.ONLINE_SELF_PACED, gates_next=True, weeks=2
    )
    f2f = DeliveryPart.objects.create(version=version, position=2, kind=PartKind.FACE_TO_FACE, days=5)
    Module.objects.create(version=version, position=1, title="The training cycle", part=online)
    Module.objects.create(version=version, position=2, title="Principles of adult learning", part=online)
    Module.objects.create(version=version, position=3, title="Delivery and methods", part=f2f)
    CompletionRule.objects.create(version=version, kind=RuleKind.ONLINE_COMPLETED)
    CompletionRule.objects.create(version=version, kind=RuleKind.ATTENDANCE_MIN, threshold=Decimal(80))
    return version


def make_run(
    version: CourseVersion,
    *,
    code: str,
    organiser: Any,
    host: Any = None,
    capacity: int = 20,
    start: datetime.date = RUN_START,
    end: datetime.date = RUN_END,
    language: str = "en",
    status: str = RunStatus.OPEN,
    **extra: Any,
) -> CourseRun:
    return CourseRun.objects.create(
        code=code,
        title=f"{version.title} ({code})",
        course_version=version,
        organiser=organiser,
        host=host,
        capacity=capacity,
        start_date=start,
        end_date=end,
        language=language,
        status=status,
        **extra,
    )


def enrol(run: CourseRun, person: Any, **extra: Any) -> Enrolment:
    return Enrolment.objects.create(run=run, person=person, **extra)


@dataclass
class DeliveryWorld:
    version: CourseVersion
    run_a: CourseRun
    run_b: CourseRun
    enrolment: Enrolment  # the cast's participant in run A
    enrolment_b: Enrolment  # person_b in run B


def delivery_world(cast: Any) -> DeliveryWorld:
    version = make_version(cast.implementer)
    run_a = make_run(
        version, code="tot-br", organiser=cast.implementer, host=cast.org_a, capacity=3, country_id="BR"
    )
    run_b = make_run(version, code="tot-cr", organiser=cast.implementer, host=cast.org_b, country_id="CR")
    RunTrainer.objects.create(run=run_a, person=cast.trainer.person, role=TrainerRole.LEAD)
    return DeliveryWorld(
        version=version,
        run_a=run_a,
        run_b=run_b,
        enrolment=enrol(run_a, cast.participant.person),
        enrolment_b=enrol(run_b, cast.person_b),
    )


def make_call(
    *, run: CourseRun | None = None, programme: Any = None, title: str = "Call for participants", **extra: Any
) -> Any:
    """An open call with its deadline ten days ahead (unless given)."""
    from django.utils import timezone

    from capdev.cohorts.models import Call, CallStatus

    values: dict[str, Any] = {
        "status": CallStatus.OPEN,
        "deadline": timezone.now() + datetime.timedelta(days=10),
    }
    values.update(extra)
    return Call.objects.create(title=title, run=run, programme=programme, **values)


def make_person(first: str, last: str, org: Any = None, *, sex: str = "F", **extra: Any) -> Any:
    from capdev.people.models import Person

    return Person.objects.create(first_name=first, last_name=last, sex=sex, organisation=org, **extra)


def make_application(call: Any, person: Any, **extra: Any) -> Any:
    from capdev.cohorts.models import Application

    return Application.objects.create(call=call, person=person, organisation=person.organisation, **extra)
