"""Permission rules for runs, programmes, calls, applications and enrolments (registered with
capdev.core.permissions.rule).

Visibility (404) is decided by the querysets' `visible_to` (see `querysets.py`); these rules
decide what a user who sees an object may do (403).

- Programme staff plan runs and programmes, run calls, select, enrol, import, and record outcomes.
- Everyone logged in sees open calls and applies for themselves; focal points nominate people of
  their organisation(s).
- Candidates see and withdraw their own applications and answer offers; the nominating focal
  point (and any focal point of the candidate's organisation) may withdraw a nomination.
- Participants withdraw themselves from a run before it ends.
- Trainers of a run see its participants (through `Enrolment.objects.visible_to`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def _own(roles: RoleSet, obj: Any) -> bool:
    return (
        obj is not None and roles.person_id is not None and getattr(obj, "person_id", None) == roles.person_id
    )


def _focal_of(user: Any, obj: Any) -> bool:
    """A focal point of the candidate's organisation (as recorded on the application)."""
    orgs = scoped_org_ids(user, Role.FOCAL_POINT)
    if not orgs or obj is None:
        return False
    org_id = getattr(obj, "organisation_id", None) or getattr(
        getattr(obj, "person", None), "organisation_id", None
    )
    return org_id in orgs


# --- Runs and programmes -------------------------------------------------------------------------


@rule("cohorts.list_runs")
def list_runs(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The run list (scoped: everyone sees the runs they belong to)."""
    return True


@rule("cohorts.view_run")
def view_run(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by CourseRun.objects.visible_to


@rule("cohorts.manage_runs")
def manage_runs(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Create and change runs, their status and trainers: programme staff."""
    return roles.is_staff


@rule("cohorts.enrol")
def enrol(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Enrol a person directly and import participants: programme staff."""
    return roles.is_staff


@rule("cohorts.list_programmes")
def list_programmes(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True


@rule("cohorts.view_programme")
def view_programme(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True


@rule("cohorts.manage_programmes")
def manage_programmes(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


# --- Calls ---------------------------------------------------------------------------------------


@rule("cohorts.list_calls")
def list_calls(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Open calls are listed for everyone logged in; staff see every call."""
    return True


@rule("cohorts.view_call")
def view_call(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True


@rule("cohorts.manage_calls")
def manage_calls(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("cohorts.apply")
def apply(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Anyone with a person record applies for themselves to a call that takes applications."""
    if roles.person_id is None:
        return False
    return obj is None or bool(obj.accepts_applications)


@rule("cohorts.nominate")
def nominate(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Focal points nominate people of their organisation(s) to calls that take nominations."""
    if not roles.has(Role.FOCAL_POINT):
        return False
    return obj is None or bool(obj.accepts_nominations)


@rule("cohorts.select")
def select(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The selection page and decisions (shortlist, accept, waitlist, reject): programme staff."""
    return roles.is_staff


@rule("cohorts.view_quotas")
def view_quotas(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Nomination quotas: staff and focal points (who nominate within them)."""
    return roles.is_staff or roles.has(Role.FOCAL_POINT)


# --- Applications --------------------------------------------------------------------------------


@rule("cohorts.list_applications")
def list_applications(user: Any, roles: RoleSet, obj: Any) -> bool:
    """ "My applications" for everyone; staff and focal points see more (scoped)."""
    return True


@rule("cohorts.view_application")
def view_application(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Application.objects.visible_to


@rule("cohorts.withdraw_application")
def withdraw_application(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The candidate, a focal point of their organisation, or staff."""
    return roles.is_staff or _own(roles, obj) or _focal_of(user, obj)


@rule("cohorts.answer_offer")
def answer_offer(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The candidate answers an offered place (staff record answers given by e-mail or phone)."""
    return roles.is_staff or _own(roles, obj)


@rule("cohorts.view_attachments")
def view_attachments(user: Any, roles: RoleSet, obj: Any) -> bool:
    """An application's files: the candidate, their organisation's focal points, staff."""
    return roles.is_staff or _own(roles, obj) or _focal_of(user, obj)


@rule("cohorts.change_attachments")
def change_attachments(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The candidate adds or removes files while the application is under review (staff too)."""
    return roles.is_staff or _own(roles, obj)


# --- Enrolments ----------------------------------------------------------------------------------


@rule("cohorts.view_enrolment")
def view_enrolment(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Enrolment.objects.visible_to


@rule("cohorts.withdraw_enrolment")
def withdraw_enrolment(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff; the participant themselves before the run ends."""
    if roles.is_staff:
        return True
    if obj is None or not _own(roles, obj):
        return False
    return obj.run.end_date >= timezone.localdate()


@rule("cohorts.manage_enrolment")
def manage_enrolment(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Record the outcome, admit without the online part: programme staff."""
    return roles.is_staff


@rule("cohorts.programmes_nav")
def programmes_nav(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Whether the menu offers the programme list (participants reach theirs from their runs)."""
    return (
        roles.is_staff
        or roles.has(Role.STEERING_COMMITTEE)
        or roles.has(Role.FOCAL_POINT)
        or roles.has(Role.TRAINER)
    )
