"""The demo's clock: past courses are replayed through the services at their own dates.

A run of July 2022 is written as it happened: the call opens in May, the focal point nominates
before the deadline, staff accept, participants complete their lessons in June, trainers mark
attendance on each day. Every service decides with `django.utils.timezone.now()` (deadlines,
"attendance can be taken from the day of the session", offers that expire, timestamps, the audit
trail), so inside `replay()` that function reads the demo clock instead of the system clock, and
`go(moment)` sets the story's time. Each reading advances the clock by a millisecond, so that
events keep their order.

Only the loader uses it, in its own process and thread, for the length of the block; nothing
else reads `timezone.now()` meanwhile. The real clock is back as soon as the block ends, and the
figures that depend on "now" (attendance counted so far) are refreshed after it.
"""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo
from collections.abc import Iterator
from unittest import mock

from django.conf import settings
from django.utils import timezone

STEP = datetime.timedelta(milliseconds=1)
_system_now = timezone.now


def system_now() -> datetime.datetime:
    """The real time, also inside `replay()`."""
    return _system_now()


def system_today() -> datetime.date:
    """Today in the installation's time zone, also inside `replay()` (the load date)."""
    return timezone.localtime(_system_now()).date()


class Clock:
    """A settable clock; `now()` is what `timezone.now()` returns inside `replay()`."""

    def __init__(self) -> None:
        self.moment: datetime.datetime | None = None

    def now(self) -> datetime.datetime:
        if self.moment is None:
            return _system_now()
        self.moment += STEP
        return self.moment

    def go(self, moment: datetime.datetime | datetime.date, hour: int = 10, minute: int = 0) -> None:
        """Set the time: a datetime (aware), or a day at `hour`:`minute` in the installation's zone.
        The clock never goes backwards (events keep their order)."""
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(
                moment, datetime.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)
            )
        if timezone.is_naive(moment):
            raise ValueError("the demo clock needs an aware datetime")
        if self.moment is None or moment > self.moment:
            self.moment = moment

    def real(self) -> None:
        """Back to the system clock (still inside the block)."""
        self.moment = None


@contextlib.contextmanager
def replay() -> Iterator[Clock]:
    """Inside the block, `django.utils.timezone.now()` reads the returned clock (the system clock
    until `go()` is called)."""
    clock = Clock()
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
