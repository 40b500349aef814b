"""Selection: shortlist, accept, waitlist, reject; offers to the waitlist; withdrawals.

- **Accept** enrols the candidate in the call's run, or in every run of its programme. It is
  refused when a run is full: the run rows are locked (`seats.lock_runs`) and the seats counted
  inside the transaction, so that concurrent acceptances never over-book. The message suggests
  the waitlist.
- **Waitlist** puts the candidate at the end of the call's ranked waitlist; staff reorder it.
- **Reject** needs a reason (it is e-mailed to the candidate).
- When a seat is freed (an accepted candidate or an enrolment withdraws, an offer is declined or
  expires) the first on the waitlist is **offered** it: status "offered", open until today +
  the call's days to answer. The offer holds the seat. The candidate accepts (enrolled) or
  declines (the next is offered). Expired offers pass to the next: `expire_offers`, run by the
  `expire_offers` command and lazily before every change to a call's selection.
- Every decision is e-mailed to the candidate and the nominating focal point after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from capdev.cohorts import notifications
from capdev.cohorts.models import (
    ACTIVE_RUN_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CourseRun,
    Enrolment,
    EnrolmentStatus,
)
from capdev.cohorts.services import seats
from capdev.cohorts.services.enrolling import (
    active_enrolment,
    check_run_takes_participants,
    enrol_locked,
    enrolments_changed,
    withdraw_enrolment_row,
)

__all__ = [
    "accept_application",
    "accept_offer",
    "decline_offer",
    "expire_offers",
    "move_on_waitlist",
    "offer_free_seats",
    "reject_application",
    "shortlist_application",
    "waitlist_application",
    "withdraw_application",
]
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError

S = ApplicationStatus
DECIDABLE = {
    "shortlist": (S.SUBMITTED, S.WAITLISTED),
    "accept": (S.SUBMITTED, S.SHORTLISTED, S.WAITLISTED),
    "waitlist": (S.SUBMITTED, S.SHORTLISTED),
    "reject": (S.SUBMITTED, S.SHORTLISTED, S.WAITLISTED),
}
WITHDRAWABLE = (S.SUBMITTED, S.SHORTLISTED, S.WAITLISTED, S.OFFERED, S.ACCEPTED)


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call__run", "call__programme", "person", "person__organisation")
        .get(pk=application.pk)
    )


def _not_decidable(application: Application, decision: str) -> ConflictError:
    """The refusal of `decision` ("shortlist", "accept", "waitlist", "reject") in the application's
    status, as one whole sentence per decision (translators need the verb inside the sentence)."""
    messages = {
        "shortlist": _("The application's status is “%(status)s”: it cannot be shortlisted."),
        "accept": _("The application's status is “%(status)s”: it cannot be accepted."),
        "waitlist": _("The application's status is “%(status)s”: it cannot be put on the waitlist."),
        "reject": _("The application's status is “%(status)s”: it cannot be rejected."),
    }
    return ConflictError(
        messages[decision] % {"status": application.get_status_display()},
        code="status",
    )


def _decided(application: Application, actor: Any, status: str, reason: str = "") -> str:
    before = application.status
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if reason:
        application.decision_reason = reason
    if status != S.WAITLISTED:
        application.waitlist_rank = None
    if status != S.OFFERED:
        application.offer_expires_on = None
    return before


def _save(application: Application) -> None:
    application.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decision_reason",
            "waitlist_rank",
            "offer_expires_on",
            "updated_at",
        ]
    )


def _record(actor: Any, verb: str, application: Application, before: str, **data: Any) -> None:
    audit.record(
        actor,
        verb,
        application,
        changes={"status": [before, application.status]},
        data={k: v for k, v in data.items() if v not in (None, "")} or None,
    )


def _full_run(run: CourseRun, taken: int) -> ConflictError:
    return ConflictError(
        _(
            "“%(run)s” is full: %(taken)s of %(capacity)s seats are taken (enrolments and open offers). "
            "Put the candidate on the waitlist instead, or raise the run's capacity."
        )
        % {"run": run, "taken": taken, "capacity": run.capacity},
        code="full",
    )


def _no_runs(call: Call) -> ConflictError:
    if call.programme_id:
        return ConflictError(
            _("The programme has no run open to participants; add its runs before accepting candidates."),
            code="no_runs",
        )
    return ConflictError(
        _("“%(run)s” is %(status)s; it takes no more participants.")
        % {"run": call.run, "status": call.run.get_status_display().lower()},  # type: ignore[union-attr]
        code="run_closed",
    )


def _enrol_in_call_runs(
    application: Application, runs: list[CourseRun], *, actor: Any, check: bool
) -> list[Enrolment]:
    """Enrol the candidate in each of `runs` (locked) where not enrolled yet; with `check`, refuse
    when one of those runs has no free seat."""
    person = application.person
    wanted = [r for r in runs if active_enrolment(r, person) is None]
    if not wanted:
        raise ConflictError(
            _("%(name)s is already enrolled; there is nothing to accept.") % {"name": person},
            code="already_enrolled",
        )
    if check:
        taken = seats.seats_taken(r.pk for r in wanted)
        for run in wanted:
            check_run_takes_participants(run)
            if taken[run.pk] + 1 > run.capacity:
                raise _full_run(run, taken[run.pk])
    enrolments = [
        enrol_locked(run, person, actor=actor, application=application, source="selection") for run in wanted
    ]
    enrolments_changed(wanted, actor=actor)
    return enrolments


def _lock_call_scope(call: Call) -> list[CourseRun]:
    """Lock the call's runs (and their programmes' runs); return the call's runs, locked."""
    runs = seats.runs_of_call(call)
    locked = seats.lock_runs(r.pk for r in runs)
    return [locked[r.pk] for r in runs if r.pk in locked]


def _lock(application: Application) -> tuple[Application, list[CourseRun]]:
    """Lock the runs of the application's call first, then the application: every service takes
    its locks in this order, so that two of them never wait for each other."""
    call = Call.objects.select_related("run", "programme").get(pk=application.call_id)
    runs = _lock_call_scope(call)
    return _lock_application(application), runs


# --- Decisions ----------------------------------------------------------------------------------


@transaction.atomic
def shortlist_application(application: Application, *, actor: Any) -> Application:
    expire_offers(calls=[application.call_id], actor=actor)
    application = _lock_application(application)
    if application.status not in DECIDABLE["shortlist"]:
        raise _not_decidable(application, "shortlist")
    before = _decided(application, actor, S.SHORTLISTED)
    _save(application)
    _record(actor, "application.shortlisted", application, before)
    notifications.application_changed(application, "shortlisted")
    return application


@transaction.atomic
def accept_application(application: Application, *, actor: Any) -> Application:
    """Accept a candidate: enrol them in the run (or each run of the programme), refused when a
    run is full (counted under a lock on the run rows)."""
    expire_offers(calls=[application.call_id], actor=actor)
    application, runs = _lock(application)
    if application.status == S.OFFERED:
        raise ConflictError(
            _("A place is already offered to this candidate; record their answer to the offer instead."),
            code="status",
        )
    if application.status not in DECIDABLE["accept"]:
        raise _not_decidable(application, "accept")
    if not runs:
        raise _no_runs(application.call)
    _enrol_in_call_runs(application, runs, actor=actor, check=True)
    before = _decided(application, actor, S.ACCEPTED)
    _save(application)
    _record(actor, "application.accepted", application, before)
    notifications.application_changed(application, "accepted")
    return application


def _next_rank(call_id: int) -> int:
    top = Application.objects.filter(call_id=call_id, status=S.WAITLISTED).aggregate(m=Max("waitlist_rank"))[
        "m"
    ]
    return (top or 0) + 1


@transaction.atomic
def waitlist_application(application: Application, *, actor: Any) -> Application:
    """Put the candidate at the end of the call's waitlist."""
    expire_offers(calls=[application.call_id], actor=actor)
    Call.objects.select_for_update(of=("self",)).filter(pk=application.call_id).first()  # serialise the ranks
    application = _lock_application(application)
    if application.status not in DECIDABLE["waitlist"]:
        raise _not_decidable(application, "waitlist")
    before = _decided(application, actor, S.WAITLISTED)
    application.waitlist_rank = _next_rank(application.call_id)
    _save(application)
    _record(actor, "application.waitlisted", application, before, rank=application.waitlist_rank)
    notifications.application_changed(application, "waitlisted")
    return application


@transaction.atomic
def move_on_waitlist(application: Application, *, actor: Any, position: int) -> Application:
    """Move a waitlisted candidate to `position` (1 = first); the others keep their order."""
    Call.objects.select_for_update(of=("self",)).filter(pk=application.call_id).first()
    application = _lock_application(application)
    if application.status != S.WAITLISTED:
        raise ConflictError(_("Only a waitlisted candidate can be moved on the waitlist."), code="status")
    queue = list(
        Application.objects.filter(call_id=application.call_id).waitlist().select_for_update(of=("self",))
    )
    others = [a for a in queue if a.pk != application.pk]
    try:
        position = int(position)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give the new place on the waitlist as a number."), field="position") from exc
    position = max(1, min(position, len(others) + 1))
    before = application.waitlist_rank
    others.insert(position - 1, application)
    changed = []
    for rank, item in enumerate(others, start=1):
        if item.waitlist_rank != rank:
            item.waitlist_rank = rank
            changed.append(item)
    Application.objects.bulk_update(changed, ["waitlist_rank"])
    application.waitlist_rank = position
    if before != position:
        audit.record(
            actor, "application.waitlist_moved", application, changes={"waitlist_rank": [before, position]}
        )
    return application


@transaction.atomic
def reject_application(application: Application, *, actor: Any, reason: str) -> Application:
    """Reject a candidate, with a reason (required; it is e-mailed to them)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for rejecting the application; the candidate receives it."), field="reason"
        )
    expire_offers(calls=[application.call_id], actor=actor)
    application = _lock_application(application)
    if application.status not in DECIDABLE["reject"]:
        raise _not_decidable(application, "reject")
    before = _decided(application, actor, S.REJECTED, reason)
    _save(application)
    _record(actor, "application.rejected", application, before, reason=reason)
    notifications.application_changed(application, "rejected", note=reason)
    return application


# --- Offers to the waitlist -----------------------------------------------------------------------


def calls_sharing(run_ids: Iterable[int]) -> list[Call]:
    """Calls whose seats are in these runs: their calls and their programmes' calls."""
    ids = list(run_ids)
    programmes = list(
        CourseRun.objects.filter(pk__in=ids, programme__isnull=False).values_list("programme_id", flat=True)
    )
    return list(
        Call.objects.filter(Q(run_id__in=ids) | Q(programme_id__in=programmes))
        .select_related("run", "programme")
        .order_by("deadline", "pk")
    )


def offer_free_seats(
    run_ids: Iterable[int], *, actor: Any, today: datetime.date | None = None
) -> list[Application]:
    """Offer the free seats of these runs to the first on the waitlists of the calls into them.
    The caller holds the locks on the runs (`seats.lock_runs`)."""
    today = today or timezone.localdate()
    offered: list[Application] = []
    for call in calls_sharing(run_ids):
        runs = seats.runs_of_call(call)
        if not runs or any(r.status not in ACTIVE_RUN_STATUSES or r.end_date < today for r in runs):
            continue
        free = seats.free_seats(runs)
        if free <= 0:
            continue
        for application in Application.objects.filter(call=call).waitlist().select_related("person")[:free]:
            before = _decided(application, actor, S.OFFERED)
            application.offer_expires_on = today + datetime.timedelta(days=call.offer_days)
            _save(application)
            _record(
                actor, "application.offered", application, before, open_until=application.offer_expires_on
            )
            notifications.application_changed(application, "offered")
            offered.append(application)
    return offered


def expire_offers(
    *, calls: Iterable[int] | None = None, actor: Any = None, today: datetime.date | None = None
) -> int:
    """Expire the offers left unanswered past their date and offer those seats to the next on the
    waitlist. Runs in the caller's transaction (or its own); returns how many expired."""
    today = today or timezone.localdate()
    stale = Application.objects.filter(status=S.OFFERED, offer_expires_on__lt=today)
    if calls is not None:
        stale = stale.filter(call_id__in=list(calls))
    if not stale.exists():
        return 0
    with transaction.atomic():
        stale_calls = list(Call.objects.filter(pk__in=stale.values("call_id")).select_related("run"))
        run_ids = {r.pk for call in stale_calls for r in seats.runs_of_call(call)}
        seats.lock_runs(run_ids)
        expired = 0
        for application in stale.select_for_update(of=("self",)).select_related("call"):
            before = _decided(application, actor, S.EXPIRED)
            _save(application)
            _record(actor, "application.offer_expired", application, before)
            notifications.application_changed(application, "offer_expired")
            expired += 1
        offer_free_seats(run_ids, actor=actor, today=today)
    return expired


def accept_offer(application: Application, *, actor: Any) -> Application:
    """The candidate takes the place offered: they are enrolled. An offer past its date has
    expired: the expiry is committed first (in its own transaction, so that it stands when the
    acceptance is refused) and the place passes to the next on the waitlist."""
    expire_offers(calls=[application.call_id], actor=actor)
    return _accept_offer(application, actor=actor)


@transaction.atomic
def _accept_offer(application: Application, *, actor: Any) -> Application:
    application, runs = _lock(application)
    if application.status == S.EXPIRED:
        raise ConflictError(
            _("This offer has expired; the place was offered to the next candidate on the waitlist."),
            code="expired",
        )
    if application.status != S.OFFERED:
        raise ConflictError(
            _("No place is offered on this application (it is %(status)s).")
            % {"status": application.get_status_display().lower()},
            code="status",
        )
    if not runs:
        raise _no_runs(application.call)
    # The offer already holds a seat in each run: no capacity check.
    _enrol_in_call_runs(application, runs, actor=actor, check=False)
    before = _decided(application, actor, S.ACCEPTED)
    _save(application)
    _record(actor, "application.offer_accepted", application, before)
    notifications.application_changed(application, "offer_accepted")
    return application


@transaction.atomic
def decline_offer(application: Application, *, actor: Any, note: str = "") -> Application:
    """The candidate declines the place offered: it is offered to the next on the waitlist."""
    application, runs = _lock(application)
    if application.status != S.OFFERED:
        raise ConflictError(
            _("No place is offered on this application (it is %(status)s).")
            % {"status": application.get_status_display().lower()},
            code="status",
        )
    before = _decided(application, actor, S.DECLINED)
    _save(application)
    _record(actor, "application.offer_declined", application, before, note=note.strip())
    notifications.application_changed(application, "offer_declined")
    offer_free_seats([r.pk for r in runs], actor=actor)
    return application


@transaction.atomic
def withdraw_application(application: Application, *, actor: Any, reason: str = "") -> Application:
    """The candidate (or their focal point, or staff) withdraws. An accepted candidate is also
    withdrawn from the runs that have not ended, and each freed seat is offered to the next on
    the waitlist."""
    application, runs = _lock(application)
    if application.status not in WITHDRAWABLE:
        raise ConflictError(
            _("This application is %(status)s; there is nothing to withdraw.")
            % {"status": application.get_status_display().lower()},
            code="status",
        )
    held_seat = application.status in (S.ACCEPTED, S.OFFERED)
    today = timezone.localdate()
    withdrawn_runs: list[CourseRun] = []
    if application.status == S.ACCEPTED:
        for enrolment in (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(application=application, status=EnrolmentStatus.ENROLLED)
            .select_related("run")
        ):
            if enrolment.run.status not in ACTIVE_RUN_STATUSES or enrolment.run.end_date < today:
                continue
            withdraw_enrolment_row(
                enrolment, actor=actor, reason=reason or _("The application was withdrawn.")
            )
            withdrawn_runs.append(enrolment.run)
    before = _decided(application, actor, S.WITHDRAWN, (reason or "").strip())
    _save(application)
    _record(actor, "application.withdrawn", application, before, reason=(reason or "").strip())
    notifications.application_changed(application, "withdrawn", note=(reason or "").strip())
    if withdrawn_runs:
        enrolments_changed(withdrawn_runs, actor=actor)
    if held_seat:
        offer_free_seats([r.pk for r in runs], actor=actor)
    return application
