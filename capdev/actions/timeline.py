"""The Gantt-like timeline of an Action's activities, computed on the server.

Months run across; each activity is a bar placed by percentages of the whole span, so the page
needs no JavaScript and prints as it shows. The same data feeds the table alternative.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import formats


@dataclass
class Month:
    date: datetime.date
    left: float
    width: float

    @property
    def starts_year(self) -> bool:
        return self.date.month == 1


@dataclass
class Year:
    year: int
    left: float
    width: float


@dataclass
class Bar:
    activity: Any
    left: float
    width: float

    @property
    def dates(self) -> str:
        a = self.activity
        if a.start_date == a.end_date:
            return formats.date_format(a.start_date, "DATE_FORMAT")
        return f"{formats.date_format(a.start_date, 'DATE_FORMAT')} – {formats.date_format(a.end_date, 'DATE_FORMAT')}"


@dataclass
class Gantt:
    start: datetime.date
    end: datetime.date
    months: list[Month]
    years: list[Year]
    bars: list[Bar]
    today: float | None  # position of the today marker, None when today is outside the span
    today_date: datetime.date

    @property
    def legend(self) -> list[tuple[str, str]]:
        """(type, label) of each activity type shown, in order of first appearance."""
        seen: dict[str, str] = {}
        for bar in self.bars:
            seen.setdefault(bar.activity.type, bar.activity.get_type_display())
        return list(seen.items())

    @property
    def month_labels(self) -> str:
        """ "short" (Jan), "initial" (J) or "none" (years only), by how many months are shown."""
        if len(self.months) <= 24:
            return "short"
        if len(self.months) <= 60:
            return "initial"
        return "none"

    @property
    def min_width_rem(self) -> int:
        """Wide enough that month labels stay readable; the container scrolls on phones."""
        per_month = {"short": 1.9, "initial": 1.1, "none": 0.4}[self.month_labels]
        return max(36, round(14 + per_month * len(self.months)))


def _month_start(d: datetime.date) -> datetime.date:
    return d.replace(day=1)


def _month_end(d: datetime.date) -> datetime.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _next_month(d: datetime.date) -> datetime.date:
    return (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def build_gantt(
    activities: Sequence[Any],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    today: datetime.date,
) -> Gantt | None:
    """Lay out `activities` (with start_date/end_date) over whole months from the earliest of
    `start` and the first activity to the latest of `end` and the last activity."""
    if not activities:
        return None
    first = min([a.start_date for a in activities] + ([start] if start else []))
    last = max([a.end_date for a in activities] + ([end] if end else []))
    span_start, span_end = _month_start(first), _month_end(last)
    total = (span_end - span_start).days + 1

    def pct(d: datetime.date) -> float:
        return round(100 * (d - span_start).days / total, 3)

    months: list[Month] = []
    cursor = span_start
    while cursor <= span_end:
        stop = _month_end(cursor)
        months.append(Month(cursor, pct(cursor), round(100 * ((stop - cursor).days + 1) / total, 3)))
        cursor = _next_month(cursor)
    years: list[Year] = []
    for m in months:
        if years and years[-1].year == m.date.year:
            years[-1].width = round(years[-1].width + m.width, 3)
        else:
            years.append(Year(m.date.year, m.left, m.width))
    bars = [
        Bar(
            a,
            pct(a.start_date),
            max(round(100 * ((a.end_date - a.start_date).days + 1) / total, 3), 0.8),
        )
        for a in activities
    ]
    marker = pct(today) if span_start <= today <= span_end else None
    return Gantt(span_start, span_end, months, years, bars, marker, today)
