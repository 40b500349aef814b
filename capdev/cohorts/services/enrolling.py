"""The one place that puts a person into a run (selection, direct enrolment, import, programmes).

Callers hold the lock on the run row (`seats.lock_runs`) and have checked the seats.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.cohorts.models import ACTIVE_RUN_STATUSES, CourseRun, Enrolment, EnrolmentStatus
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError


def check_run_takes_participants(run: CourseRun) -> None:
    if run.status not in ACTIVE_RUN_STATUSES:
        raise ConflictError(
            _("“%(run)s” is %(status)s; it takes no more participants.")
            % {"run": run, "status": run.get_status_display().lower()},
            code="run_closed",
        )


def active_enrolment(run: CourseRun | int, person: Any) -> Enrolment | None:
    run_id = run if isinstance(run, int) else run.pk
    return (
        Enrolment.objects.filter(run_id=run_id, person=person)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .first()
    )


def enrol_locked(
    run: CourseRun, person: Any, *, actor: Any, application: Any = None, source: str = "direct"
) -> Enrolment:
    """Enrol `person` in the locked `run` (or re-enrol them after a withdrawal). Refused when they
    are already enrolled or their data was erased."""
    if person.is_erased:
        raise DomainError(_("This person's data was erased; they cannot be enrolled."), field="person")
    existing = Enrolment.objects.select_for_update(of=("self",)).filter(run=run, person=person).first()
    if existing is not None and existing.status != EnrolmentStatus.WITHDRAWN:
        raise ConflictError(
            _("%(name)s is already enrolled in “%(run)s”.") % {"name": person, "run": run},
            field="person",
            code="already_enrolled",
        )
    if existing is not None:
        before = existing.status
        existing.status = EnrolmentStatus.ENROLLED
        existing.withdrawn_at = None
        existing.withdrawal_reason = ""
        existing.completed_at = None
        existing.enrolled_at = timezone.now()
        existing.application = application or existing.application
        existing.save()
        enrolment = existing
        audit.record(
            actor,
            "enrolment.re_enrolled",
            enrolment,
            changes={"status": [before, EnrolmentStatus.ENROLLED]},
            data={"source": source},
        )
    else:
        enrolment = Enrolment.objects.create(run=run, person=person, application=application)
        audit.record(actor, "enrolment.created", enrolment, data={"source": source, "run": run})
    return enrolment


def enrolments_changed(runs: list[CourseRun], *, actor: Any) -> None:
    """After enrolments of these runs changed: keep the linked activities' numbers true."""
    from capdev.cohorts.services.runs import sync_activity_participants

    for activity_id in sorted({r.activity_id for r in runs if r.activity_id}):
        sync_activity_participants(activity_id, actor=actor)


def withdraw_enrolment_row(enrolment: Enrolment, *, actor: Any, reason: str) -> None:
    """Mark the (locked) enrolment withdrawn, with the reason."""
    before = enrolment.status
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.withdrawal_reason = reason
    enrolment.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit.record(
        actor,
        "enrolment.withdrawn",
        enrolment,
        changes={"status": [before, EnrolmentStatus.WITHDRAWN]},
        data={"reason": reason},
    )
