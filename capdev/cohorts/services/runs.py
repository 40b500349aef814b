"""Writes on runs, their trainers, and the link to an Action's activity.

Rules (each refusal names the form field it belongs to):

- a run delivers a *published* course version (a standard product or an adaptation); drafts and
  retired versions are refused;
- the language is one of the version's languages (any language when the version lists none);
- an activity must belong to the run's Action (the Action is taken from the activity when not
  given), and the run's dates must fall within the activity's;
- the end is never before the start; the capacity is between 1 and 10,000 and never below the
  seats already taken (active enrolments and open offers);
- status: planned → open → in progress → completed (planned may also start directly, open may
  go back to planned); planned, open and in-progress runs may be cancelled with a reason.
  Completed and cancelled runs are read-only.
- when a run delivers an activity, the activity's participant numbers by sex follow the run(s)'
  active enrolments (`sync_activity_participants`, called on every enrolment change).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capdev.cohorts.models import (
    ACTIVE_RUN_STATUSES,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    RunStatus,
    RunTrainer,
    TrainerRole,
)
from capdev.cohorts.services.seats import seats_taken
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError

FIELDS = [
    "title",
    "code",
    "course_version",
    "action",
    "activity",
    "organiser",
    "host",
    "cohort_label",
    "language",
    "start_date",
    "end_date",
    "venue",
    "city",
    "country",
    "capacity",
]
REQUIRED = {
    "title": _("Give the run a title."),
    "course_version": _("Choose the course version the run delivers."),
    "organiser": _("Choose the organisation that runs the course."),
    "language": _("Choose the language of the run."),
    "start_date": _("Give the first day of the run."),
    "end_date": _("Give the last day of the run."),
    "capacity": _("Give the number of seats."),
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    RunStatus.PLANNED: (RunStatus.OPEN, RunStatus.IN_PROGRESS, RunStatus.CANCELLED),
    RunStatus.OPEN: (RunStatus.PLANNED, RunStatus.IN_PROGRESS, RunStatus.CANCELLED),
    RunStatus.IN_PROGRESS: (RunStatus.COMPLETED, RunStatus.CANCELLED),
    RunStatus.COMPLETED: (),
    RunStatus.CANCELLED: (),
}
MAX_CAPACITY = 10_000


def check_editable(run: CourseRun) -> None:
    """Completed and cancelled runs are read-only."""
    if run.status not in ACTIVE_RUN_STATUSES:
        raise ConflictError(
            _("This run is %(status)s; it can no longer be changed.")
            % {"status": run.get_status_display().lower()},
            code="read_only",
        )


def _key(name: str) -> str:
    return name.removesuffix("_id")


def _check_values(values: dict[str, Any]) -> None:
    unknown = {k for k in values if _key(k) not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _check_run(run: CourseRun) -> None:
    """The rules between fields, on the run as it would be saved."""
    from capdev.competencies.models import VersionStatus

    for name, message in REQUIRED.items():
        if getattr(run, f"{name}_id" if name in ("course_version", "organiser") else name) in (None, ""):
            raise DomainError(message, field=name)
    version = run.course_version
    if version.status != VersionStatus.PUBLISHED:
        raise DomainError(
            _(
                "Only a published course version can be delivered; “%(version)s” is %(status)s. "
                "Choose its published version."
            )
            % {"version": version, "status": version.get_status_display().lower()},
            field="course_version",
        )
    languages = [str(code) for code in (version.languages or [])]
    if languages and run.language not in languages:
        raise DomainError(
            _("The run's language must be one of the course version's languages: %(languages)s.")
            % {"languages": ", ".join(languages)},
            field="language",
        )
    if run.end_date < run.start_date:
        raise DomainError(_("The last day cannot be before the first day."), field="end_date")
    if not 1 <= int(run.capacity) <= MAX_CAPACITY:
        raise DomainError(
            _("The capacity must be between 1 and %(max)s seats.") % {"max": f"{MAX_CAPACITY:,}"},
            field="capacity",
        )
    if run.activity_id:
        activity = run.activity
        assert activity is not None
        if run.action_id is None:
            run.action_id = activity.action_id
        elif activity.action_id != run.action_id:
            raise DomainError(
                _(
                    "The activity “%(activity)s” belongs to another Action; choose one of %(action)s's activities."
                )
                % {"activity": activity.title, "action": run.action},
                field="activity",
            )
        if run.start_date < activity.start_date or run.end_date > activity.end_date:
            raise DomainError(
                _(
                    "The run's dates must fall within the activity's (%(start)s to %(end)s); change the "
                    "dates or the activity."
                )
                % {"start": activity.start_date.isoformat(), "end": activity.end_date.isoformat()},
                field="start_date",
            )


def _unique_code(title: str, start: datetime.date | None, course_code: str = "") -> str:
    """A code from the title and year; from the course's code when the title has no Latin letters
    (an Arabic or Russian title slugifies to nothing)."""
    year = str(start.year) if start else ""
    base = slugify(title)[:65]
    if not base:
        base = slugify(course_code)[:65] or "run"
    base = f"{base}-{year}" if year else base
    code, n = base, 2
    while CourseRun.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def create_run(*, actor: Any, **values: Any) -> CourseRun:
    """Plan a run of a published course version."""
    _check_values(values)
    if values.get("code") and CourseRun.objects.filter(code=values["code"]).exists():
        raise ConflictError(
            _("Another run already has the code %(code)s.") % {"code": values["code"]}, field="code"
        )
    for name in ("title", "language"):
        if name not in values or values[name] is None:
            values[name] = ""
    run = CourseRun(status=RunStatus.PLANNED, **values)
    _check_run(run)
    if not run.code:
        run.code = _unique_code(run.title, run.start_date, run.course_version.course.code)
    run.full_clean(validate_constraints=False, exclude=["course_version", "organiser", "host", "country"])
    run.save()
    audit.record(actor, "run.created", run, changes=audit.diff({}, audit.snapshot(run, FIELDS)))
    if run.activity_id:
        sync_activity_participants(run.activity_id, actor=actor)
    return run


@transaction.atomic
def update_run(run: CourseRun, *, actor: Any, **values: Any) -> CourseRun:
    """Change a planned, open or in-progress run. The capacity may not go below the seats taken."""
    _check_values(values)
    run = CourseRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    check_editable(run)
    before = audit.snapshot(run, FIELDS)
    old_activity = run.activity_id
    if "code" in values and values["code"] != run.code:
        if not values["code"]:
            raise DomainError(_("Give the run a code."), field="code")
        if CourseRun.objects.filter(code=values["code"]).exclude(pk=run.pk).exists():
            raise ConflictError(
                _("Another run already has the code %(code)s.") % {"code": values["code"]}, field="code"
            )
    for name, value in values.items():
        setattr(run, name, value)
    _check_run(run)
    taken = seats_taken([run.pk])[run.pk]
    if run.capacity < taken:
        raise ConflictError(
            _(
                "%(taken)s seats are already taken (enrolments and open offers); the capacity cannot "
                "be lower. Withdraw participants first."
            )
            % {"taken": taken},
            field="capacity",
        )
    run.full_clean(validate_constraints=False, exclude=["course_version", "organiser", "host", "country"])
    run.save()
    changes = audit.diff(before, audit.snapshot(run, FIELDS))
    if changes:
        audit.record(actor, "run.updated", run, changes=changes)
    for activity_id in {old_activity, run.activity_id}:
        if activity_id is not None:
            sync_activity_participants(activity_id, actor=actor)
    return run


@transaction.atomic
def change_run_status(run: CourseRun, *, actor: Any, status: str, reason: str = "") -> CourseRun:
    """Move a run along planned → open → in progress → completed, or cancel it (with a reason).
    Cancelling leaves the enrolments on record; the linked activity's numbers no longer count
    the cancelled run."""
    run = CourseRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    if status not in RunStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    allowed = TRANSITIONS[run.status]
    if status not in allowed:
        raise ConflictError(
            _("A run that is %(current)s cannot become %(new)s.")
            % {"current": run.get_status_display().lower(), "new": RunStatus(status).label.lower()},
            field="status",
        )
    reason = (reason or "").strip()
    if status == RunStatus.CANCELLED and not reason:
        raise DomainError(_("Give the reason for cancelling the run."), field="reason")
    before = run.status
    run.status = status
    if status == RunStatus.CANCELLED:
        run.cancellation_reason = reason
    run.save(update_fields=["status", "cancellation_reason", "updated_at"])
    audit.record(
        actor,
        "run.status_changed",
        run,
        changes={"status": [before, status]},
        data={"reason": reason} if reason else None,
    )
    if run.activity_id and status == RunStatus.CANCELLED:
        sync_activity_participants(run.activity_id, actor=actor)
    return run


# --- Trainers ------------------------------------------------------------------------------------


def check_trainer_authorised(run: CourseRun, person: Any) -> None:
    """Hook: may `person` train `run`? Raise DomainError (field "person") to refuse.

    Trainer authorisation (which courses a trainer may deliver, on what evidence) comes with the
    certification issue; until then every person may be named a trainer of any run."""
    return None


@transaction.atomic
def add_trainer(run: CourseRun, person: Any, *, actor: Any, role: str = TrainerRole.LEAD) -> RunTrainer:
    """Name a person lead trainer, co-trainer, coach or online tutor of a run. A person with a
    login then sees the run and its participants as its trainer."""
    run = CourseRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    check_editable(run)
    if role not in TrainerRole.values:
        raise DomainError(_("Choose the trainer's role."), field="role")
    if person.is_erased:
        raise DomainError(_("This person's data was erased; they cannot train a run."), field="person")
    check_trainer_authorised(run, person)
    existing = RunTrainer.objects.filter(run=run, person=person).first()
    if existing is not None:
        raise ConflictError(
            _("%(name)s is already a trainer of this run (%(role)s).")
            % {"name": person, "role": existing.get_role_display().lower()},
            field="person",
        )
    trainer = RunTrainer.objects.create(run=run, person=person, role=role)
    audit.record(actor, "run.trainer_added", run, data={"person": person, "role": role})
    return trainer


@transaction.atomic
def remove_trainer(trainer: RunTrainer, *, actor: Any) -> None:
    run = CourseRun.objects.select_for_update(of=("self",)).get(pk=trainer.run_id)
    check_editable(run)
    audit.record(actor, "run.trainer_removed", run, data={"person": trainer.person, "role": trainer.role})
    trainer.delete()


# --- The activity's participant numbers ----------------------------------------------------------


def sync_activity_participants(activity_id: int, *, actor: Any = None) -> None:
    """Make the activity's participants by sex equal to the active enrolments (not withdrawn) of
    the runs that deliver it (cancelled runs excluded). The Actions issue promised this link:
    the portfolio and the results count people trained from the activity."""
    from capdev.actions.models import Activity
    from capdev.people.models import Sex

    counts = dict.fromkeys(Sex.values, 0)
    for row in (
        Enrolment.objects.filter(run__activity_id=activity_id)
        .exclude(run__status=RunStatus.CANCELLED)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .order_by()
        .values("person__sex")
        .annotate(n=Count("id"))
    ):
        counts[row["person__sex"]] = row["n"]
    numbers = {
        "participants_women": counts.get(Sex.FEMALE, 0),
        "participants_men": counts.get(Sex.MALE, 0),
        "participants_other": counts.get(Sex.OTHER, 0),
    }
    activity = Activity.objects.select_for_update(of=("self",)).filter(pk=activity_id).first()
    if activity is None:
        return
    before = {k: getattr(activity, k) for k in numbers}
    if before == numbers:
        return
    Activity.objects.filter(pk=activity_id).update(**numbers)
    audit.record(
        actor,
        "activity.participants_from_enrolments",
        activity,
        changes=audit.diff(before, numbers),
    )
