"""Permission rules for sessions, timetables, calendar feeds and attendance (registered with
capdev.core.permissions.rule).

Visibility (404) is decided by `Session.objects.visible_to` and `Attendance.objects.visible_to`
(which follow the run and the enrolment); these rules decide what a user who sees an object may
do (403):

- **plan sessions** (add, edit, cancel, the one-per-day helper, revoke the run's calendar link):
  programme staff and the run's *lead* trainers, who build the programme of their course;
- **take attendance** (the attendance sheet, corrections, the sign-in sheet, the run's attendance
  summary): programme staff and every trainer of the run (lead, co-trainer, coach, online tutor);
- **see sessions and the timetable**: everyone who sees the run.

`obj` is a run, a session or an attendance mark; the rules find the run from it.
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet


def _run_id(obj: Any) -> int | None:
    if obj is None:
        return None
    for attr in ("run_id", "session__run_id"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    session = getattr(obj, "session", None)
    if session is not None:
        return session.run_id
    return obj.pk  # a run


def trainer_roles(user: Any, run_id: int | None) -> set[str]:
    """The user's trainer roles in the run ("lead", "co_trainer", ...), one query. Cached on the
    user object for the request, per run."""
    if run_id is None:
        return set()
    cache: dict[int, set[str]] = user.__dict__.setdefault("_delivery_trainer_roles", {})
    if run_id not in cache:
        from capdev.cohorts.models import RunTrainer

        cache[run_id] = set(
            RunTrainer.objects.filter(run_id=run_id, person__user_id=user.pk).values_list("role", flat=True)
        )
    return cache[run_id]


def forget_trainer_roles(user: Any) -> None:
    user.__dict__.pop("_delivery_trainer_roles", None)


def is_trainer_of(user: Any, obj: Any) -> bool:
    return bool(trainer_roles(user, _run_id(obj)))


def is_lead_trainer_of(user: Any, obj: Any) -> bool:
    from capdev.cohorts.models import TrainerRole

    return TrainerRole.LEAD in trainer_roles(user, _run_id(obj))


@rule("delivery.view_sessions")
def view_sessions(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by the run's and the session's visible_to


@rule("delivery.manage_sessions")
def manage_sessions(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Add, edit and cancel sessions, and revoke the run's calendar link."""
    return roles.is_staff or (obj is not None and is_lead_trainer_of(user, obj))


@rule("delivery.take_attendance")
def take_attendance(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The attendance sheet (marking and corrections), the sign-in sheet and the attendance
    summary of a run: staff and the run's trainers."""
    return roles.is_staff or (obj is not None and is_trainer_of(user, obj))


@rule("delivery.list_attendance")
def list_attendance(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The list of attendance marks (scoped by Attendance.objects.visible_to): staff, trainers
    (their runs) and focal points (their organisations' people)."""
    return roles.is_staff or roles.has(Role.TRAINER) or roles.has(Role.FOCAL_POINT)


@rule("delivery.today")
def today(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Today's sessions with their attendance sheets: trainers (their runs) and staff (all)."""
    return roles.is_staff or roles.has(Role.TRAINER)


@rule("delivery.own_calendar")
def own_calendar(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Everyone's own calendar link (the sessions of the runs they take or train)."""
    return True


@rule("delivery.today_nav")
def today_nav(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Whether the navigation bar offers "Today" (trainers; staff start from the runs)."""
    return roles.has(Role.TRAINER) and not roles.is_staff
