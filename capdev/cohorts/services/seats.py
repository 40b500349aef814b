"""Seats of a run, and the locks that keep them from being over-booked.

A run's seats taken are its active enrolments (everyone but those who withdrew) plus the open
offers of the calls into it or into its programme (an offer holds a seat until it is answered or
expires). A call's free seats are the fewest free seats among its runs (a programme call enrols
into every run of the programme).

Every service that takes a seat first locks the rows of the runs concerned with
`select_for_update`, in primary-key order (so two services never wait for each other in opposite
orders), then counts inside the same transaction. A second acceptance into the same run waits
for the first to commit and then counts its enrolment. On SQLite the transactions are IMMEDIATE
(settings), which serialises writers in the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from capdev.cohorts.models import (
    ACTIVE_RUN_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)


def seats_taken(run_ids: Iterable[int], *, offers: dict[int, int] | None = None) -> dict[int, int]:
    """{run id: active enrolments + open offers}, in three queries whatever the number of runs
    (one when the caller read `offers = open_offers(run_ids)` already)."""
    ids = [int(i) for i in run_ids]
    taken: dict[int, int] = dict.fromkeys(ids, 0)
    if not ids:
        return taken
    for row in (
        Enrolment.objects.filter(run_id__in=ids)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by()
        .values("run_id")
        .annotate(n=Count("id"))
    ):
        taken[row["run_id"]] += row["n"]
    for run_id, n in (offers if offers is not None else open_offers(ids)).items():
        taken[run_id] += n
    return taken


def open_offers(run_ids: Iterable[int]) -> dict[int, int]:
    """{run id: open offers holding a seat in it} (offers of its calls and its programme's)."""
    ids = [int(i) for i in run_ids]
    runs = dict(CourseRun.objects.filter(pk__in=ids).values_list("pk", "programme_id"))
    by_programme: dict[int, list[int]] = defaultdict(list)
    for run_id, programme_id in runs.items():
        if programme_id:
            by_programme[programme_id].append(run_id)
    offers: dict[int, int] = dict.fromkeys(ids, 0)
    if not ids:
        return offers
    rows = (
        Application.objects.filter(status=ApplicationStatus.OFFERED)
        .filter(Q(call__run_id__in=ids) | Q(call__programme_id__in=list(by_programme)))
        .order_by()
        .values("call__run_id", "call__programme_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["call__run_id"] in offers:
            offers[row["call__run_id"]] += row["n"]
        for run_id in by_programme.get(row["call__programme_id"], []):
            offers[run_id] += row["n"]
    return offers


def runs_of_call(call: Call) -> list[CourseRun]:
    """The runs a call enrols into: its run, or the programme's runs that are not cancelled or
    completed, in programme order."""
    if call.run_id:
        return [call.run] if call.run is not None else []
    if call.programme_id is None:
        return []
    return list(
        CourseRun.objects.filter(programme_id=call.programme_id, status__in=ACTIVE_RUN_STATUSES).order_by(
            "position", "start_date", "pk"
        )
    )


def lock_runs(run_ids: Iterable[int]) -> dict[int, CourseRun]:
    """Lock the rows of these runs and of the other runs of their programmes (a programme call's
    seats span them all), in primary-key order; returns the locked runs by id."""
    ids = {int(i) for i in run_ids}
    if not ids:
        return {}
    programmes = set(
        CourseRun.objects.filter(pk__in=ids, programme__isnull=False).values_list("programme_id", flat=True)
    )
    scope = Q(pk__in=ids)
    if programmes:
        scope |= Q(programme_id__in=programmes)
    locked = CourseRun.objects.select_for_update(of=("self",)).filter(scope).order_by("pk")
    return {run.pk: run for run in locked}


def free_seats(runs: Iterable[CourseRun], *, taken: dict[int, int] | None = None) -> int:
    """The fewest free seats among `runs` (never below 0); 0 when there are no runs."""
    runs = list(runs)
    if not runs:
        return 0
    taken = taken if taken is not None else seats_taken(r.pk for r in runs)
    return max(0, min(r.capacity - taken.get(r.pk, 0) for r in runs))


def seat_summary(runs: Iterable[CourseRun]) -> list[dict[str, Any]]:
    """Per run: capacity, seats taken, open offers, free seats (for pages)."""
    runs = list(runs)
    ids = [r.pk for r in runs]
    offers = open_offers(ids)
    taken = seats_taken(ids, offers=offers)
    return [
        {
            "run": r,
            "capacity": r.capacity,
            "taken": taken[r.pk],
            "offers": offers[r.pk],
            "free": max(0, r.capacity - taken[r.pk]),
        }
        for r in runs
    ]
