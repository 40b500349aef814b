"""iCalendar (RFC 5545) feeds of activities, written by hand: the format is small, and this keeps
capdev free of a dependency for it.

What the RFC asks and this module does: CRLF line endings; content lines folded at 75 octets
(a CRLF then one space, never inside a UTF-8 sequence); TEXT values with backslash, semicolon,
comma and newline escaped; all-day events as DATE values with an exclusive DTEND (the day after
the last day); a stable UID per activity; DTSTAMP in UTC.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

PRODID = "-//capdev//Activities//EN"
UID_DOMAIN = "capdev"


@dataclass
class Event:
    uid: str
    start: datetime.date
    end: datetime.date  # last day, inclusive
    summary: str
    stamp: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    categories: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line so that no physical line exceeds 75 octets (§3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for ch in line:
        enc = ch.encode("utf-8")
        if len(current) + len(enc) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # continuation lines start with one space
        current += enc
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _utc(value: datetime.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def render(events: Iterable[Event], *, name: str) -> str:
    """The whole VCALENDAR text, CRLF-terminated."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{_utc(e.stamp)}",
            f"DTSTART;VALUE=DATE:{_date(e.start)}",
            f"DTEND;VALUE=DATE:{_date(e.end + datetime.timedelta(days=1))}",
            f"SUMMARY:{escape_text(e.summary)}",
        ]
        if e.location:
            lines.append(f"LOCATION:{escape_text(e.location)}")
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        if e.categories:
            lines.append(f"CATEGORIES:{escape_text(e.categories)}")
        if e.url:
            lines.append(f"URL:{e.url}")
        lines += [f"STATUS:{e.status}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def activity_event(a: Any, *, base_url: str, tentative: bool = False) -> Event:
    """The event of one activity (its Action and country must be loaded)."""
    from capdev.actions.models import ActivityStatus

    place = ", ".join(p for p in (a.venue, a.city, str(a.country) if a.country_id else "") if p)
    status = "CONFIRMED"
    if a.status == ActivityStatus.CANCELLED:
        status = "CANCELLED"
    elif tentative:
        status = "TENTATIVE"
    description = "\n".join(
        line
        for line in (f"{a.get_type_display()} · {a.get_mode_display()}", a.action.name, a.description)
        if line
    )
    return Event(
        uid=f"activity-{a.uuid}@{UID_DOMAIN}",
        start=a.start_date,
        end=a.end_date,
        summary=f"{a.title} ({a.action.name})",
        stamp=a.updated_at,
        description=description,
        location=place,
        url=base_url + a.get_absolute_url(),
        status=status,
        categories=str(a.get_type_display()),
    )


def parse(text: str) -> list[dict[str, str]]:
    """Unfold and split a calendar into its events' properties (for tests and checks)."""
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfolded.split("\r\n"):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            events.append(current)
            current = None
        elif current is not None and ":" in line:
            key, value = line.split(":", 1)
            current[key.split(";", 1)[0]] = value
    return events
