"""Permission rules for competency frameworks.

Visibility (404) is decided by the `visible_to` querysets: published and retired versions are
read by every logged-in user, drafts by programme staff and the owner organisation's focal points.
These rules decide what a user may do with what they see (403).
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def owner_id(obj: Any) -> int | None:
    """The owner organisation of a framework, version, item or proficiency level."""
    from capdev.competencies.models import CompetencyItem, Framework, FrameworkVersion, ProficiencyLevel

    if isinstance(obj, Framework):
        return obj.owner_id
    if isinstance(obj, FrameworkVersion):
        return obj.framework.owner_id
    if isinstance(obj, CompetencyItem | ProficiencyLevel):
        return obj.version.framework.owner_id
    return None


@rule("competencies.list")
def list_frameworks(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Every logged-in user browses the published frameworks."""
    return True


@rule("competencies.view")
def view_framework(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by the visible_to querysets


@rule("competencies.add")
def add_framework(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Programme staff curate the standard frameworks."""
    return roles.is_staff


@rule("competencies.change")
def change_framework(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff edit any draft; a focal point edits the drafts of frameworks their organisation owns
    (and derives new drafts from them). Without an object: whether the user edits any framework."""
    if roles.is_staff:
        return True
    if obj is None:
        return False
    org = owner_id(obj)
    return org is not None and org in scoped_org_ids(user, Role.FOCAL_POINT)


@rule("competencies.publish")
def publish_framework(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Publishing and retiring make a version part of the standard: programme staff only."""
    return roles.is_staff
