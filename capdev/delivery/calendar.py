"""Sessions as iCalendar events (capdev.actions.ics): timed events in each session's own time
zone (DTSTART;TZID=...), a stable UID per session, STATUS:CANCELLED for a cancelled session so
that calendars drop it, and the room or online link as the location."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from capdev.actions import ics
from capdev.cohorts.models import RunTrainer
from capdev.delivery.models import Session, SessionKind


def for_calendar(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """What an event needs, in a constant number of queries."""
    return sessions.select_related("run", "part", "destination_country").prefetch_related(
        Prefetch("trainers", queryset=RunTrainer.objects.select_related("person"))
    )


def session_event(session: Session, *, base_url: str) -> ics.Event:
    run = session.run
    heading = session.title or session.get_kind_display()
    lines = [f"{session.get_kind_display()} · {run.title}"]
    if session.part_id and session.part is not None:
        lines.append(str(session.part))
    trainers = [t.person.full_name for t in session.trainers.all()]
    if trainers:
        lines.append(_("Trainers: %(names)s") % {"names": ", ".join(trainers)})
    if session.online_link:
        lines.append(_("Join online: %(link)s") % {"link": session.online_link})
    if session.cancelled:
        lines.append(_("Cancelled: %(reason)s") % {"reason": session.cancellation_reason})
    if session.notes:
        lines.append(session.notes)
    location = session.place
    if not location and session.kind == SessionKind.LIVE_ONLINE:
        location = session.online_link
    elif not location:
        location = ", ".join(p for p in (run.venue, run.city) if p)
    return ics.Event(
        uid=f"session-{session.uuid}@{ics.UID_DOMAIN}",
        start=session.local_start(),
        end=session.local_end(),
        tzid=session.timezone,
        summary=f"{heading} · {run.title}",
        stamp=session.updated_at,
        description="\n".join(lines),
        location=location,
        url=base_url + session.get_absolute_url(),
        status="CANCELLED" if session.cancelled else "CONFIRMED",
        categories=str(session.get_kind_display()),
        busy=not session.cancelled,
    )


def render(sessions: Iterable[Session], *, name: str, base_url: str) -> str:
    return ics.render([session_event(s, base_url=base_url) for s in sessions], name=name)


def feed_sessions_of_person(person: Any) -> QuerySet[Session]:
    """The sessions of the runs a person takes (an enrolment not withdrawn) or trains."""
    from capdev.cohorts.models import Enrolment

    runs = Enrolment.objects.filter(person=person).exclude(status="withdrawn").values("run_id")
    trained = RunTrainer.objects.filter(person=person).values("run_id")
    return Session.objects.filter(run_id__in=runs) | Session.objects.filter(run_id__in=trained)
