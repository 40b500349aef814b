"""Personal data held by the delivery app: a participant's attendance marks and their personal
calendar link (registered with capdev.core.personal_data).

Export: every attendance mark of the person (run, session, status, note, when it was marked) and
whether they hold a personal calendar link.

Erasure keeps the marks themselves: once the person is anonymised (names, contact details and
login removed by `people.services.erase_person`) a mark says only that an anonymous participant
attended a session, which keeps the run's attendance figures true. Erasure clears the notes
written about the person on their marks, redacts the audit events of their marks (whose
description carries their name), and deletes their calendar secret (the link stops working).
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from capdev.core import audit, personal_data
from capdev.core.models import AuditEvent
from capdev.delivery.models import Attendance, CalendarFeed


@personal_data.exporter("attendance")
def export_attendance(person: Any) -> dict[str, Any]:
    marks = (
        Attendance.objects.filter(enrolment__person=person)
        .select_related("session", "session__run")
        .order_by("session__starts_at", "pk")
    )
    return {
        "marks": [
            {
                "run": m.session.run.title,
                "session": m.session.title or m.session.get_kind_display(),
                "date": m.session.date.isoformat(),
                "start": m.session.start_time.strftime("%H:%M"),
                "end": m.session.end_time.strftime("%H:%M"),
                "time_zone": m.session.timezone,
                "status": m.status,
                "note": m.note,
                "marked_at": m.marked_at.isoformat(),
            }
            for m in marks
        ],
        "personal_calendar_link": CalendarFeed.objects.filter(person=person).exists(),
    }


@personal_data.eraser("attendance")
def erase_attendance(person: Any, actor: Any) -> None:
    ids = [str(pk) for pk in Attendance.objects.filter(enrolment__person=person).values_list("pk", flat=True)]
    Attendance.objects.filter(enrolment__person=person).exclude(note="").update(note="")
    if ids:
        ct = ContentType.objects.get_for_model(Attendance)
        events = AuditEvent.objects.filter(content_type=ct, object_id__in=ids)
        events._redact(object_repr="attendance mark of an erased person")
        events.filter(changes__has_key="note")._redact(changes={"redacted": True})
    deleted, _detail = CalendarFeed.objects.filter(person=person).delete()
    audit.record(
        actor, "attendance.erased", person, data={"marks_kept": len(ids), "calendar_link": bool(deleted)}
    )
