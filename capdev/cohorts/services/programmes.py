"""Writes on programmes: the runs one cohort follows in order (e.g. the diploma: three courses of
four weeks plus field trips).

- A run belongs to at most one programme. Runs are kept in order (`position`).
- Selection into a programme is enrolment into each of its runs; a run added later enrols the
  programme's accepted participants (all of them, or the addition is refused when the run has
  too few free seats).
- The programme's first and last days follow its runs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capdev.cohorts.models import (
    ACTIVE_RUN_STATUSES,
    Application,
    ApplicationStatus,
    CourseRun,
    Programme,
)
from capdev.cohorts.services import seats
from capdev.cohorts.services.enrolling import active_enrolment, enrol_locked, enrolments_changed
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError

FIELDS = ["code", "title", "cohort_label", "description", "organiser", "action", "start_date", "end_date"]


def _check(programme: Programme) -> None:
    if not (programme.title or "").strip():
        raise DomainError(_("Give the programme a title."), field="title")
    if not programme.organiser_id:
        raise DomainError(_("Choose the organisation that runs the programme."), field="organiser")
    if programme.start_date and programme.end_date and programme.end_date < programme.start_date:
        raise DomainError(_("The last day cannot be before the first day."), field="end_date")


def _unique_code(title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:50] or "programme"
    code, n = base, 2
    while Programme.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def create_programme(*, actor: Any, **values: Any) -> Programme:
    unknown = {k for k in values if k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if values.get("code") and Programme.objects.filter(code=values["code"]).exists():
        raise ConflictError(
            _("Another programme already has the code %(code)s.") % {"code": values["code"]}, field="code"
        )
    programme = Programme(**values)
    _check(programme)
    if not programme.code:
        programme.code = _unique_code(programme.title)
    programme.full_clean(exclude=["organiser", "action"])
    programme.save()
    audit.record(
        actor, "programme.created", programme, changes=audit.diff({}, audit.snapshot(programme, FIELDS))
    )
    return programme


@transaction.atomic
def update_programme(programme: Programme, *, actor: Any, **values: Any) -> Programme:
    unknown = {k for k in values if k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    if "code" in values and values["code"] != programme.code:
        if not values["code"]:
            raise DomainError(_("Give the programme a code."), field="code")
        if Programme.objects.filter(code=values["code"]).exclude(pk=programme.pk).exists():
            raise ConflictError(
                _("Another programme already has the code %(code)s.") % {"code": values["code"]}, field="code"
            )
    before = audit.snapshot(programme, FIELDS)
    for name, value in values.items():
        setattr(programme, name, value)
    _check(programme)
    programme.full_clean(exclude=["organiser", "action"])
    programme.save()
    changes = audit.diff(before, audit.snapshot(programme, FIELDS))
    if changes:
        audit.record(actor, "programme.updated", programme, changes=changes)
    return programme


def _refresh_dates(programme: Programme) -> None:
    span = programme.runs.exclude(status="cancelled").aggregate(start=Min("start_date"), end=Max("end_date"))
    if span["start"] and (span["start"], span["end"]) != (programme.start_date, programme.end_date):
        Programme.objects.filter(pk=programme.pk).update(start_date=span["start"], end_date=span["end"])


def accepted_candidates(programme: Programme) -> list[Application]:
    return list(
        Application.objects.filter(call__programme=programme, status=ApplicationStatus.ACCEPTED)
        .select_related("person")
        .order_by("pk")
    )


@transaction.atomic
def add_run(programme: Programme, run: CourseRun, *, actor: Any) -> CourseRun:
    """Put a run at the end of the programme and enrol the programme's accepted participants in
    it. Refused when the run belongs to another programme, no longer takes participants, or has
    too few free seats for them."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    locked = seats.lock_runs([run.pk, *programme.runs.values_list("pk", flat=True)])
    run = locked[run.pk]
    if run.programme_id == programme.pk:
        raise ConflictError(_("“%(run)s” is already in this programme.") % {"run": run}, field="run")
    if run.programme_id is not None:
        raise ConflictError(
            _("“%(run)s” belongs to another programme; remove it from there first.") % {"run": run},
            field="run",
        )
    if run.status not in ACTIVE_RUN_STATUSES:
        raise ConflictError(
            _("“%(run)s” is %(status)s; it cannot join a programme.")
            % {"run": run, "status": run.get_status_display().lower()},
            field="run",
        )
    candidates = [a for a in accepted_candidates(programme) if active_enrolment(run, a.person) is None]
    taken = seats.seats_taken([run.pk])[run.pk]
    if taken + len(candidates) > run.capacity:
        raise ConflictError(
            ngettext(
                "The programme's %(n)s accepted participants do not fit in “%(run)s”: %(free)s seat is "
                "free. Raise the run's capacity first.",
                "The programme's %(n)s accepted participants do not fit in “%(run)s”: %(free)s seats are "
                "free. Raise the run's capacity first.",
                max(0, run.capacity - taken),
            )
            % {"n": len(candidates), "run": run, "free": max(0, run.capacity - taken)},
            field="run",
            code="full",
        )
    top = programme.runs.aggregate(m=Max("position"))["m"] or 0
    run.programme = programme
    run.position = top + 1
    run.save(update_fields=["programme", "position", "updated_at"])
    for application in candidates:
        enrol_locked(run, application.person, actor=actor, application=application, source="programme")
    if candidates:
        enrolments_changed([run], actor=actor)
    _refresh_dates(programme)
    audit.record(actor, "programme.run_added", programme, data={"run": run, "enrolled": len(candidates)})
    return run


@transaction.atomic
def remove_run(programme: Programme, run: CourseRun, *, actor: Any) -> CourseRun:
    """Take a run out of the programme. Its enrolments stay (withdraw them one by one if needed)."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    run = CourseRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    if run.programme_id != programme.pk:
        raise ConflictError(_("“%(run)s” is not in this programme.") % {"run": run}, field="run")
    if Application.objects.filter(call__programme=programme, status=ApplicationStatus.OFFERED).exists():
        raise ConflictError(
            _(
                "Places in this programme are offered and awaiting an answer; remove the run once they are answered."
            ),
            field="run",
        )
    run.programme = None
    run.position = 0
    run.save(update_fields=["programme", "position", "updated_at"])
    _renumber(programme)
    _refresh_dates(programme)
    audit.record(actor, "programme.run_removed", programme, data={"run": run})
    return run


def _renumber(programme: Programme) -> None:
    runs = list(programme.runs.order_by("position", "start_date", "pk"))
    for index, item in enumerate(runs, start=1):
        item.position = index
    CourseRun.objects.bulk_update(runs, ["position"])


@transaction.atomic
def move_run(programme: Programme, run: CourseRun, *, actor: Any, offset: int) -> CourseRun:
    """Move a run earlier (offset -1) or later (+1) in the programme's order."""
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    runs = list(programme.runs.order_by("position", "start_date", "pk"))
    ids = [r.pk for r in runs]
    if run.pk not in ids:
        raise ConflictError(_("“%(run)s” is not in this programme.") % {"run": run}, field="run")
    index = ids.index(run.pk)
    target = max(0, min(len(runs) - 1, index + int(offset)))
    if target == index:
        return run
    runs.insert(target, runs.pop(index))
    for position, item in enumerate(runs, start=1):
        item.position = position
    CourseRun.objects.bulk_update(runs, ["position"])
    audit.record(actor, "programme.run_moved", programme, data={"run": run, "position": target + 1})
    return runs[target]
