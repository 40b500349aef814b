"""Who may open the personal spaces and the run overview (registered with core.permissions)."""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet


@rule("portal.my_learning")
def my_learning(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Everyone with a person record: the courses they take (an empty page says how to join)."""
    return roles.person_id is not None


@rule("portal.my_learning_nav")
def my_learning_nav(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The bar offers "My learning" to participants (others reach it from their dashboard)."""
    return roles.person_id is not None and roles.has(Role.PARTICIPANT)


@rule("portal.my_runs")
def my_runs(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The runs one trains: trainers and experts."""
    return roles.has(Role.TRAINER)


@rule("portal.participants")
def participants(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The participants list: staff (everyone) and focal points (their organisations' people)."""
    return roles.is_staff or roles.has(Role.FOCAL_POINT)


@rule("portal.run_overview")
def run_overview(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The enrolment funnel of every run: aggregate figures for staff and the steering committee."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE)
