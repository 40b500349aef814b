"""The delivery demo (issue 5): course runs and cohorts, calls and nominations, the online part,
sessions and attendance, named after DOMAIN.md and, for benchmarks, synthetic in bulk.

The named part (`brazil`, `diploma`, `replicas`, `today`) goes through the services of the
cohorts, learning and delivery apps, replayed at the dates the events happened (`clock`): calls
open and close, focal points nominate, staff select, participants take their lessons and SCORM
quiz, trainers mark attendance each day. Notifications are muted. Each run, programme and call
carries a `demo_key`; a story whose demo key exists is skipped, so loading again never
duplicates anything. Some dates are relative to the day of the load (the run alive today, the
runs and the call ahead): they are fixed by the first load.

The synthetic part (`synthetic`, `--scale N` with N > 1) writes, per block of the loader's
synthetic people, 50 runs of 20 participants with 20 sessions each, the attendance marks and the
figures that follow from them, with `bulk_create` and no audit trail.

Needs the rest of the demo programme first (people, logins, catalogue, adaptations, Actions,
experts, activities): `capdev.demo.programme.load_programme` calls `load_delivery` last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[str], None]


def load_delivery(scale: int = 1, progress: Progress | None = None) -> dict[str, Any]:
    """Load the named delivery demo and (scale > 1) the synthetic runs; return row counts."""
    from capdev.actions import notifications as action_notifications
    from capdev.cohorts import notifications
    from capdev.demo.delivery import brazil, diploma, replicas, synthetic, today
    from capdev.demo.delivery.common import Cast
    from capdev.demo.programme import refresh_planner_statistics

    say: Progress = progress or (lambda _message: None)
    cast = Cast.load(say)
    with notifications.muted(), action_notifications.muted():
        loaded = 0
        for story in (brazil, diploma, replicas, today):
            loaded += story.load(cast)
            refresh_planner_statistics()
    if not loaded:
        say("Delivery demo: the named runs, programmes and calls are already there.")
    synthetic.load(scale, say)  # one transaction per block
    return summary()


def summary() -> dict[str, int]:
    from capdev.cohorts.models import Call, CourseRun, Enrolment, Programme
    from capdev.delivery.models import Attendance, Session

    return {
        "runs": CourseRun.objects.count(),
        "programmes": Programme.objects.count(),
        "calls": Call.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "sessions": Session.objects.count(),
        "attendance marks": Attendance.objects.count(),
    }
