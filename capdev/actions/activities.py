"""Writes on activities: plan, change, cancel and complete an activity inside an Action.

Rules enforced here (each refusal names the form field it belongs to):

- dates: the end is never before the start;
- a linked catalogue product must be a published course version;
- a completed Action takes no new activity, and a cancelled or done activity is not edited;
- changing the dates must not double-book an expert already deployed on the activity;
- completing records the participants by sex; cancelling needs a reason and withdraws the
  experts' pending invitations.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from capdev.actions.models import (
    Action,
    Activity,
    ActivityMode,
    ActivityStatus,
    ActivityType,
    Phase,
)
from capdev.core import audit
from capdev.core.errors import ConflictError, DomainError

FIELDS = [
    "type",
    "title",
    "description",
    "start_date",
    "end_date",
    "mode",
    "venue",
    "city",
    "country",
    "participants_women",
    "participants_men",
    "participants_other",
    "course_version",
]
PARTICIPANT_FIELDS = ["participants_women", "participants_men", "participants_other"]
OPEN = (ActivityStatus.PLANNED, ActivityStatus.ONGOING)
# The longest an activity may last, in days after its first day (reads rely on it to bound
# date-range queries: the month calendar, double-booking checks).
MAX_DAYS = 366


def _check(values: dict[str, Any], *, partial: bool = False) -> None:
    unknown = {k for k in values if k not in FIELDS and k.removesuffix("_id") not in FIELDS}
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if not partial:
        for name, message in (
            ("type", _("Choose the type of activity.")),
            ("title", _("Give the activity a title.")),
            ("start_date", _("Give the first day of the activity.")),
            ("end_date", _("Give the last day of the activity.")),
        ):
            if not values.get(name):
                raise DomainError(message, field=name)
    if "type" in values and values["type"] not in ActivityType.values:
        raise DomainError(_("Unknown type of activity."), field="type")
    if "mode" in values and values["mode"] not in ActivityMode.values:
        raise DomainError(_("Unknown mode."), field="mode")
    for name in PARTICIPANT_FIELDS:
        if name in values and values[name] is not None and int(values[name]) < 0:
            raise DomainError(_("Participant numbers cannot be negative."), field=name)
    version = values.get("course_version")
    if version is not None:
        from capdev.competencies.models import VersionStatus

        if version.status != VersionStatus.PUBLISHED:
            raise DomainError(
                _("Only a published version of a catalogue product can be delivered (this one is %(s)s).")
                % {"s": version.get_status_display().lower()},
                field="course_version",
            )


def _check_dates(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise DomainError(_("The last day cannot be before the first day."), field="end_date")
    if (end - start).days > MAX_DAYS:
        raise DomainError(
            _("An activity lasts at most a year; split longer work into several activities."),
            field="end_date",
        )


@transaction.atomic
def create_activity(action: Action, *, actor: Any, **values: Any) -> Activity:
    """Plan a new activity in an Action (not in a completed one)."""
    _check(values)
    if action.phase == Phase.COMPLETED:
        raise DomainError(_("%(action)s is completed; it takes no new activity.") % {"action": action})
    values.setdefault("mode", ActivityMode.FACE_TO_FACE)
    for name in PARTICIPANT_FIELDS:
        if values.get(name) is None:
            values[name] = 0
    _check_dates(values["start_date"], values["end_date"])
    activity = Activity(action=action, **values)
    activity.full_clean(exclude=["action", "course_version", "country"], validate_constraints=False)
    activity.save()
    audit.record(
        actor, "activity.created", activity, changes=audit.diff({}, audit.snapshot(activity, FIELDS))
    )
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, actor: Any, **values: Any) -> Activity:
    """Change a planned or ongoing activity. New dates are refused when an expert deployed on it
    would then be deployed twice on the same days."""
    _check(values, partial=True)
    activity = Activity.objects.select_for_update().select_related("action").get(pk=activity.pk)
    if activity.status not in OPEN:
        raise DomainError(
            _("This activity is %(status)s; it can no longer be changed.")
            % {"status": activity.get_status_display().lower()}
        )
    before = audit.snapshot(activity, FIELDS)
    for name, value in values.items():
        if name in PARTICIPANT_FIELDS and value is None:
            value = 0
        setattr(activity, name, value)
    _check_dates(activity.start_date, activity.end_date)
    if "start_date" in values or "end_date" in values:
        _check_deployed_experts(activity)
    activity.full_clean(exclude=["action", "course_version", "country"], validate_constraints=False)
    activity.save()
    changes = audit.diff(before, audit.snapshot(activity, FIELDS))
    if changes:
        audit.record(actor, "activity.updated", activity, changes=changes)
    return activity


def _check_deployed_experts(activity: Activity) -> None:
    from capdev.experts.models import Deployment
    from capdev.experts.services import conflicts

    for deployment in (
        Deployment.objects.accepted().filter(activity=activity).select_related("expert__person")
    ):
        clash = conflicts(deployment.expert, activity)
        if clash:
            other = clash[0].activity
            raise ConflictError(
                _(
                    "With these dates %(expert)s would be deployed twice: they are already on “%(other)s” "
                    "(%(action)s) from %(start)s to %(end)s."
                )
                % {
                    "expert": deployment.expert,
                    "other": other.title,
                    "action": other.action.name,
                    "start": other.start_date.isoformat(),
                    "end": other.end_date.isoformat(),
                },
                field="start_date",
            )


@transaction.atomic
def start_activity(activity: Activity, *, actor: Any) -> Activity:
    """Mark a planned activity as under way."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != ActivityStatus.PLANNED:
        raise ConflictError(_("Only a planned activity can start."))
    activity.status = ActivityStatus.ONGOING
    activity.save(update_fields=["status", "updated_at"])
    audit.record(actor, "activity.started", activity, changes={"status": ["planned", "ongoing"]})
    return activity


@transaction.atomic
def complete_activity(
    activity: Activity,
    *,
    actor: Any,
    participants_women: int | None = None,
    participants_men: int | None = None,
    participants_other: int | None = None,
) -> Activity:
    """Mark an activity as done, recording how many took part (by sex). It must have started:
    an activity whose first day is still ahead cannot be done."""
    from django.utils import timezone

    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in OPEN:
        raise ConflictError(
            _("This activity is already %(status)s.") % {"status": activity.get_status_display().lower()}
        )
    if activity.start_date > timezone.localdate():
        raise DomainError(
            _("This activity starts on %(date)s; it cannot be marked as done before it has started.")
            % {"date": activity.start_date.isoformat()},
            field="start_date",
        )
    before = audit.snapshot(activity, ["status", *PARTICIPANT_FIELDS])
    numbers = {
        "participants_women": participants_women,
        "participants_men": participants_men,
        "participants_other": participants_other,
    }
    _check({k: v for k, v in numbers.items() if v is not None}, partial=True)
    for name, value in numbers.items():
        if value is not None:
            setattr(activity, name, int(value))
    activity.status = ActivityStatus.DONE
    activity.save()
    audit.record(
        actor,
        "activity.completed",
        activity,
        changes=audit.diff(before, audit.snapshot(activity, ["status", *PARTICIPANT_FIELDS])),
    )
    return activity


@transaction.atomic
def cancel_activity(activity: Activity, *, actor: Any, reason: str) -> Activity:
    """Cancel a planned or ongoing activity. Pending invitations are withdrawn; accepted
    deployments stay on record (the experts' days are freed: cancelled activities never count
    as a double booking)."""
    from capdev.experts.models import Deployment, DeploymentStatus

    if not (reason or "").strip():
        raise DomainError(_("Give the reason for cancelling the activity."), field="reason")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status not in OPEN:
        raise ConflictError(
            _("This activity is already %(status)s.") % {"status": activity.get_status_display().lower()}
        )
    before = activity.status
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status", "updated_at"])
    withdrawn = Deployment.objects.filter(activity=activity, status=DeploymentStatus.INVITED).update(
        status=DeploymentStatus.WITHDRAWN
    )
    audit.record(
        actor,
        "activity.cancelled",
        activity,
        changes={"status": [before, ActivityStatus.CANCELLED]},
        data={"reason": reason.strip(), "invitations_withdrawn": withdrawn},
    )
    return activity
