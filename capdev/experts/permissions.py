"""Permission rules for the expert roster, deployments and the programme-wide activity pages
(registered with capdev.core.permissions.rule).

Visibility (404) is decided by `ExpertProfile.objects.visible_to`, `Deployment.objects.visible_to`
and `Activity.objects.visible_to` (the Actions app's); these rules decide what a user who sees an
object may do (403). Planning activities uses the Actions app's "actions.manage_activities".
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet


def _own_profile(user: Any, obj: Any) -> bool:
    person = getattr(obj, "person", None)
    return person is not None and person.user_id is not None and person.user_id == user.pk


# --- Roster ---------------------------------------------------------------------------------


@rule("experts.list")
def list_experts(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The roster holds personal data of seconded civil servants: programme staff only."""
    return roles.is_staff


@rule("experts.view")
def view_expert(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by ExpertProfile.objects.visible_to


@rule("experts.add")
def add_expert(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("experts.change")
def change_expert(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff keep the roster; an expert keeps their own profile (availability, CV, consent)."""
    return roles.is_staff or (obj is not None and _own_profile(user, obj))


@rule("experts.view_cv")
def view_cv(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff or (obj is not None and _own_profile(user, obj))


@rule("experts.statistics")
def roster_statistics(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Aggregate figures about the roster (no names): staff and steering-committee members."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE)


@rule("experts.own_invitations")
def own_invitations(user: Any, roles: RoleSet, obj: Any) -> bool:
    """ "My invitations": for anyone who holds a profile in the roster (the view checks that)."""
    return True


@rule("experts.invitations_nav")
def invitations_nav(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Whether the navigation offers "My invitations" (trainers and experts)."""
    return roles.has(Role.TRAINER) and not roles.is_staff


# --- Matching and deployments ------------------------------------------------------------------


@rule("experts.match")
def match_experts(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The ranked shortlist for an activity shows the whole roster: staff only."""
    return roles.is_staff


@rule("experts.invite")
def invite_expert(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("experts.respond")
def respond_to_invitation(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Only the invited expert accepts or declines (staff record answers given by e-mail too)."""
    if roles.is_staff:
        return True
    return obj is not None and _own_profile(user, obj.expert)


@rule("experts.withdraw")
def withdraw_deployment(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("experts.feedback")
def record_feedback(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Feedback on an expert's work is recorded by programme staff."""
    return roles.is_staff


# --- Programme-wide activity pages ------------------------------------------------------------


@rule("activities.list")
def list_activities(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The activity list, counter and calendar (scoped by Activity.objects.visible_to)."""
    return (
        roles.is_staff
        or roles.has(Role.STEERING_COMMITTEE)
        or roles.has(Role.FOCAL_POINT)
        or roles.has(Role.TRAINER)
    )


@rule("activities.view")
def view_activity(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Activity.objects.visible_to
