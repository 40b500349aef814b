"""iCalendar (RFC 5545) feeds of activities, written by hand: the format is small, and this keeps
capdev free of a dependency for it.

What the RFC asks and this module does: CRLF line endings; content lines folded at 75 octets
(a CRLF then one space, never inside a UTF-8 sequence); TEXT values with backslash, semicolon,
comma and newline escaped; all-day events as DATE values with an exclusive DTEND (the day after
the last day); a stable UID per activity; DTSTAMP in UTC.

Timed events (a session from 09:00 to 12:30) are supported too: `start` and `end` are then
datetimes and `end` is the moment the event ends. With a `tzid` (an IANA name such as
"America/Sao_Paulo") the times are written as local wall-clock times with a TZID parameter, and the
calendar carries a VTIMEZONE for each zone used (§3.6.5), built from the zone's transitions over the
years of the events, so that a client that does not know the zone's name still places the events
right. Without a `tzid`, timed events are written in UTC.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

PRODID = "-//capdev//Activities//EN"
UID_DOMAIN = "capdev"


@dataclass
class Event:
    uid: str
    start: datetime.date  # a date (all-day event) or a datetime (timed event)
    end: datetime.date  # all-day: the last day, inclusive; timed: the datetime it ends
    summary: str
    stamp: datetime.datetime
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED
    categories: str = ""
    tzid: str = ""  # timed events: the IANA time zone of their wall-clock times ("" = UTC)
    busy: bool = False  # TRANSP:OPAQUE (the time is taken) instead of TRANSPARENT

    @property
    def timed(self) -> bool:
        return isinstance(self.start, datetime.datetime)


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


def _local(value: datetime.datetime, tzid: str) -> str:
    """A wall-clock time in zone `tzid` (an aware datetime is converted to it first)."""
    if timezone.is_aware(value):
        value = value.astimezone(zoneinfo.ZoneInfo(tzid))
    return value.strftime("%Y%m%dT%H%M%S")


def _offset(delta: datetime.timedelta | None) -> str:
    seconds = int((delta or datetime.timedelta(0)).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _transitions(tz: zoneinfo.ZoneInfo, start: datetime.datetime, end: datetime.datetime) -> list[Any]:
    """The instants (UTC) in [start, end) at which the zone's UTC offset or name changes."""
    found: list[datetime.datetime] = []

    def key(moment: datetime.datetime) -> tuple[Any, ...]:
        local = moment.astimezone(tz)
        return (local.utcoffset(), local.dst(), local.tzname())

    step = datetime.timedelta(days=1)
    moment = start
    while moment < end:
        following = min(moment + step, end)
        if key(moment) != key(following):
            low, high = moment, following  # bisect down to the second
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if key(middle) == key(low):
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        moment = following
    return found


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """A VTIMEZONE component for `tzid` valid from 1 January of `first_year` to the end of
    `last_year`: an observance for the offset in force on 1 January, then one per transition
    (DAYLIGHT when daylight-saving time starts, STANDARD otherwise). Each observance's DTSTART is
    the local time of its onset in the offset in force before it (TZOFFSETFROM), as §3.6.5 asks."""
    tz = zoneinfo.ZoneInfo(tzid)
    begin = datetime.datetime(first_year, 1, 1, tzinfo=tz).astimezone(datetime.UTC)
    finish = datetime.datetime(last_year + 1, 1, 1, tzinfo=tz).astimezone(datetime.UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]

    def observance(onset: datetime.datetime, before: datetime.datetime) -> list[str]:
        after_local = onset.astimezone(tz)
        before_local = before.astimezone(tz)
        kind = "DAYLIGHT" if after_local.dst() else "STANDARD"
        wall = (onset + (before_local.utcoffset() or datetime.timedelta(0))).replace(tzinfo=None)
        return [
            f"BEGIN:{kind}",
            f"DTSTART:{wall.strftime('%Y%m%dT%H%M%S')}",
            f"TZOFFSETFROM:{_offset(before_local.utcoffset())}",
            f"TZOFFSETTO:{_offset(after_local.utcoffset())}",
            f"TZNAME:{escape_text(after_local.tzname() or tzid)}",
            f"END:{kind}",
        ]

    lines += observance(begin, begin)
    for onset in _transitions(tz, begin, finish):
        lines += observance(onset, onset - datetime.timedelta(seconds=1))
    lines.append("END:VTIMEZONE")
    return tuple(lines)


def _event_times(e: Event) -> list[str]:
    if not e.timed:
        return [
            f"DTSTART;VALUE=DATE:{_date(e.start)}",
            f"DTEND;VALUE=DATE:{_date(e.end + datetime.timedelta(days=1))}",
        ]
    start, end = e.start, e.end
    assert isinstance(start, datetime.datetime) and isinstance(end, datetime.datetime)
    if e.tzid:
        return [
            f"DTSTART;TZID={e.tzid}:{_local(start, e.tzid)}",
            f"DTEND;TZID={e.tzid}:{_local(end, e.tzid)}",
        ]
    return [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(end)}"]


def render(events: Iterable[Event], *, name: str) -> str:
    """The whole VCALENDAR text, CRLF-terminated."""
    events = list(events)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    years: dict[str, list[int]] = {}
    for e in events:
        if e.timed and e.tzid:
            years.setdefault(e.tzid, []).extend([e.start.year, e.end.year])
    for tzid, span in sorted(years.items()):
        lines += vtimezone(tzid, min(span), max(span))
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{_utc(e.stamp)}",
            *_event_times(e),
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
        transparency = "OPAQUE" if e.busy else "TRANSPARENT"
        lines += [f"STATUS:{e.status}", f"TRANSP:{transparency}", "END:VEVENT"]
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


def parse(text: str, *, with_parameters: bool = False) -> list[dict[str, str]]:
    """Unfold and split a calendar into its events' properties (for tests and checks). Keys are
    property names; with `with_parameters` they keep their parameters ("DTSTART;TZID=...")."""
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
            key, value = _split_property(line)
            current[key if with_parameters else key.split(";", 1)[0]] = value
    return events


def _split_property(line: str) -> tuple[str, str]:
    """Name (with parameters) and value of a content line: the first colon outside a quoted
    parameter value separates them (§3.1)."""
    quoted = False
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            return line[:index], line[index + 1 :]
    return line, ""
