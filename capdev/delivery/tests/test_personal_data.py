"""Personal data: a participant's attendance marks are exported; erasure keeps the marks (the
figures stay true) but clears the notes about them, redacts their marks' audit events and closes
their calendar link."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from capdev.core import personal_data
from capdev.core.models import AuditEvent
from capdev.delivery import services
from capdev.delivery.models import Attendance, CalendarFeed
from capdev.delivery.tests.conftest import add_session, days
from capdev.people.services import erase_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(cast: Any, run: Any, world: Any) -> Any:
    world.enrolment.online_completed_at = timezone.now()
    world.enrolment.save()
    session = add_session(run, cast.staff, days(0), title="Day 2")
    services.mark_attendance(
        session, {world.enrolment.pk: ("late", "Doctor's appointment")}, actor=cast.trainer
    )
    services.mark_attendance(
        session, {world.enrolment.pk: ("present", "Came on time after all")}, actor=cast.staff
    )
    services.personal_feed_token(cast.participant.person)
    return session


def test_the_export_lists_every_mark(cast: Any, marked: Any) -> None:
    section = personal_data.export_sections(cast.participant.person)["attendance"]
    assert section["personal_calendar_link"] is True
    (mark,) = section["marks"]
    assert (
        mark["session"] == "Day 2"
        and mark["status"] == "present"
        and mark["note"] == "Came on time after all"
    )
    assert mark["time_zone"] == "America/Sao_Paulo" and mark["start"] == "09:00"


def test_erasure_keeps_the_marks_but_not_what_identifies_the_person(
    cast: Any, marked: Any, world: Any
) -> None:
    correction = AuditEvent.objects.get(verb="attendance.corrected")
    assert "Paula Santos" in correction.object_repr and "note" in correction.changes
    erase_person(cast.participant.person, actor=cast.staff, reason="Request 2026/18")
    mark = Attendance.objects.get()
    assert mark.status == "present" and mark.note == ""
    world.enrolment.refresh_from_db()
    assert world.enrolment.sessions_attended == 1  # the figures stay true
    correction = AuditEvent.objects.get(verb="attendance.corrected")
    assert "Paula" not in correction.object_repr and correction.changes == {"redacted": True}
    assert not CalendarFeed.objects.filter(person=cast.participant.person).exists()
    assert AuditEvent.objects.filter(verb="attendance.erased").get().data == {
        "marks_kept": 1,
        "calendar_link": True,
    }
