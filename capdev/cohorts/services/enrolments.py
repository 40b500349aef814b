"""Writes on enrolments: direct enrolment by staff, withdrawal, outcome, and the gate waiver.

- Staff enrol a person directly; the run's capacity applies (locked and counted like an
  acceptance). A person who withdrew may be enrolled again.
- An enrolment is withdrawn with a reason, by staff or by the participant themselves before the
  run ends; the seat is offered to the first on the waitlist of the calls into the run. When the
  enrolment came from a call for this run alone, the application is withdrawn with it.
- Staff record the outcome: completed or did not complete (once the run is under way).
- Staff may admit one participant to the face-to-face part without the online part
  (`waive_online_gate`, with a reason): the delivery app lets `cleared_for_face_to_face`
  participants be marked present.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.cohorts import notifications
from capdev.cohorts.models import (
    ApplicationStatus,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
    RunStatus,
)
from capdev.cohorts.services import seats
from capdev.cohorts.services.enrolling import (
    check_run_takes_participants,
    enrol_locked,
    enrolments_changed,
    withdraw_enrolment_row,
)
from capdev.cohorts.services.selection import offer_free_seats
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError


@transaction.atomic
def enrol_participant(run: CourseRun, person: Any, *, actor: Any) -> Enrolment:
    """Enrol a person directly (staff). Refused when the run is full, closed, or the person is
    already enrolled."""
    locked = seats.lock_runs([run.pk])
    run = locked[run.pk]
    check_run_takes_participants(run)
    taken = seats.seats_taken([run.pk])[run.pk]
    if taken + 1 > run.capacity:
        raise ConflictError(
            _(
                "“%(run)s” is full: %(taken)s of %(capacity)s seats are taken (enrolments and open offers). "
                "Raise the capacity or withdraw someone first."
            )
            % {"run": run, "taken": taken, "capacity": run.capacity},
            code="full",
        )
    enrolment = enrol_locked(run, person, actor=actor, source="direct")
    enrolments_changed([run], actor=actor)
    notifications.enrolment_changed(enrolment, "enrolled")
    return enrolment


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    seats.lock_runs([enrolment.run_id])
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("run", "person", "application", "application__call")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def withdraw_enrolment(enrolment: Enrolment, *, actor: Any, reason: str) -> Enrolment:
    """Withdraw a participant from a run (with a reason). The freed seat is offered to the first
    on the waitlist."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the withdrawal."), field="reason")
    enrolment = _lock_enrolment(enrolment)
    run = enrolment.run
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ConflictError(
            _("This enrolment is %(status)s; only a current enrolment can be withdrawn.")
            % {"status": enrolment.get_status_display().lower()},
            code="status",
        )
    if run.status in (RunStatus.COMPLETED, RunStatus.CANCELLED):
        raise ConflictError(
            _("“%(run)s” is %(status)s; its participants can no longer be withdrawn.")
            % {"run": run, "status": run.get_status_display().lower()},
            code="read_only",
        )
    withdraw_enrolment_row(enrolment, actor=actor, reason=reason)
    application = enrolment.application
    if (
        application is not None
        and application.status == ApplicationStatus.ACCEPTED
        and application.call.run_id == run.pk
    ):
        before = application.status
        application.status = ApplicationStatus.WITHDRAWN
        application.decision_reason = reason
        application.save(update_fields=["status", "decision_reason", "updated_at"])
        audit.record(
            actor,
            "application.withdrawn",
            application,
            changes={"status": [before, application.status]},
            data={"reason": reason},
        )
    enrolments_changed([run], actor=actor)
    notifications.enrolment_changed(enrolment, "withdrawn", note=reason)
    offer_free_seats([run.pk], actor=actor)
    return enrolment


@transaction.atomic
def record_outcome(enrolment: Enrolment, *, actor: Any, completed: bool) -> Enrolment:
    """Record that the participant completed the run, or did not. The run must be under way or
    completed (the outcome can be corrected later)."""
    enrolment = _lock_enrolment(enrolment)
    run = enrolment.run
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ConflictError(_("This participant withdrew; enrol them again first."), code="status")
    if run.status not in (RunStatus.IN_PROGRESS, RunStatus.COMPLETED):
        raise ConflictError(
            _("The outcome is recorded once the run is in progress; “%(run)s” is %(status)s.")
            % {"run": run, "status": run.get_status_display().lower()},
            code="status",
        )
    new = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.NOT_COMPLETED
    before = enrolment.status
    if before == new:
        return enrolment
    enrolment.status = new
    enrolment.completed_at = timezone.now() if completed else None
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    audit.record(actor, "enrolment.outcome", enrolment, changes={"status": [before, new]})
    return enrolment


@transaction.atomic
def waive_online_gate(enrolment: Enrolment, *, actor: Any, reason: str) -> Enrolment:
    """Admit one participant to the face-to-face part without the online part (staff, with a
    reason). Refused when the participant already completed the online part or was admitted."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for admitting the participant without the online part."), field="reason"
        )
    enrolment = _lock_enrolment(enrolment)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise ConflictError(_("This participant withdrew from the run."), code="status")
    if enrolment.online_completed_at is not None:
        raise ConflictError(
            _("%(name)s completed the online part; no waiver is needed.") % {"name": enrolment.person},
            code="not_needed",
        )
    if enrolment.gate_waived_at is not None:
        raise ConflictError(
            _("%(name)s was already admitted without the online part on %(date)s.")
            % {"name": enrolment.person, "date": enrolment.gate_waived_at.date().isoformat()},
            code="already_waived",
        )
    enrolment.gate_waived_at = timezone.now()
    enrolment.gate_waived_by = actor if getattr(actor, "is_authenticated", False) else None
    enrolment.gate_waiver_reason = reason
    enrolment.save(update_fields=["gate_waived_at", "gate_waived_by", "gate_waiver_reason", "updated_at"])
    audit.record(actor, "enrolment.gate_waived", enrolment, data={"reason": reason})
    return enrolment


@transaction.atomic
def revoke_gate_waiver(enrolment: Enrolment, *, actor: Any) -> Enrolment:
    """Take back a waiver given by mistake (staff)."""
    enrolment = _lock_enrolment(enrolment)
    if enrolment.gate_waived_at is None:
        raise ConflictError(_("This participant was not admitted without the online part."), code="status")
    before = enrolment.gate_waiver_reason
    enrolment.gate_waived_at = None
    enrolment.gate_waived_by = None
    enrolment.gate_waiver_reason = ""
    enrolment.save(update_fields=["gate_waived_at", "gate_waived_by", "gate_waiver_reason", "updated_at"])
    audit.record(actor, "enrolment.gate_waiver_revoked", enrolment, data={"reason_was": before})
    return enrolment
