"""Permission rules for requests and Actions (registered with capdev.core.permissions.rule).

Visibility (404) is decided by `Request.objects.visible_to`, `Action.objects.visible_to` and
`Activity.objects.visible_to`; these rules decide what a user who sees an object may do (403).
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def _partner_org_ids(obj: Any) -> set[int]:
    """The partner organisations of an Action (or of the Action of an activity/deliverable)."""
    from capdev.actions.models import Action

    action: Any = obj if isinstance(obj, Action) else getattr(obj, "action", None)
    if action is None:
        return set()
    cached = getattr(action, "_partner_ids", None)
    if cached is None:
        cached = set(action.partnerships.values_list("organisation_id", flat=True))
        action._partner_ids = cached
    return cached


def _requester_org_ids(obj: Any) -> set[int]:
    cached = getattr(obj, "_requester_ids", None)
    if cached is None:
        cached = set(obj.requesters.values_list("organisation_id", flat=True))
        obj._requester_ids = cached
    return cached


def is_partner_focal_point(user: Any, obj: Any) -> bool:
    """Whether `user` is a focal point of one of the Action's partner organisations."""
    orgs = scoped_org_ids(user, Role.FOCAL_POINT)
    return bool(orgs) and obj is not None and bool(orgs & _partner_org_ids(obj))


# --- Actions ------------------------------------------------------------------------------


@rule("actions.list")
def list_actions(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff, steering members, partner focal points and experts browse Actions (scoped)."""
    return (
        roles.is_staff
        or roles.has(Role.STEERING_COMMITTEE)
        or roles.has(Role.FOCAL_POINT)
        or roles.has(Role.TRAINER)
    )


@rule("actions.view")
def view_action(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Action.objects.visible_to


@rule("actions.add")
def add_action(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff create Actions (usually by approving a request)."""
    return roles.is_staff


@rule("actions.change")
def change_action(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff edit Actions; focal points of a partner edit the co-design fields (summary and
    objectives)."""
    if roles.is_staff:
        return True
    if obj is None:
        return roles.has(Role.FOCAL_POINT)
    return is_partner_focal_point(user, obj)


@rule("actions.manage")
def manage_action(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff-only parts of an Action: identity fields, partners, phases, budget, deliverables, MoU."""
    return roles.is_staff


@rule("actions.manage_activities")
def manage_activities(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff plan and change activities."""
    return roles.is_staff


@rule("actions.view_budget")
def view_budget(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff, steering members and the partners' focal points see budgets; experts do not."""
    if roles.is_staff or roles.has(Role.STEERING_COMMITTEE):
        return True
    return obj is not None and is_partner_focal_point(user, obj)


@rule("actions.view_mou")
def view_mou(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The memorandum of understanding: staff, steering members and the partners' focal points."""
    return view_budget(user, roles, obj)


# --- Requests -----------------------------------------------------------------------------


@rule("requests.list")
def list_requests(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff, steering members and focal points see a list of requests (scoped)."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE) or roles.has(Role.FOCAL_POINT)


@rule("requests.file")
def file_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Partner focal points file requests for their organisations; staff on a partner's behalf."""
    return roles.is_staff or roles.has(Role.FOCAL_POINT)


@rule("requests.view")
def view_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Request.objects.visible_to


@rule("requests.change")
def change_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff edit open requests; the requesting focal points edit theirs while still received."""
    if obj is not None and obj.status not in ("received", "analysis"):
        return False
    if roles.is_staff:
        return True
    if obj is None:
        return roles.has(Role.FOCAL_POINT)
    orgs = scoped_org_ids(user, Role.FOCAL_POINT)
    return obj.status == "received" and bool(orgs & _requester_org_ids(obj))


@rule("requests.withdraw")
def withdraw_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff or a requesting focal point withdraw a request that is not yet decided."""
    if roles.is_staff:
        return True
    if obj is None:
        return roles.has(Role.FOCAL_POINT)
    return bool(scoped_org_ids(user, Role.FOCAL_POINT) & _requester_org_ids(obj))


@rule("requests.analyse")
def analyse_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff receive, analyse and submit requests to the steering committee."""
    return roles.is_staff


@rule("requests.decide")
def decide_request(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Steering-committee members approve or reject requests."""
    return roles.has(Role.STEERING_COMMITTEE)


@rule("requests.queue")
def see_queue(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The queue of requests awaiting the steering committee's decision."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE)


@rule("requests.manage_eligibility")
def manage_eligibility(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff keep the list of eligible countries."""
    return roles.is_staff
