"""Permission rules for organisations."""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


@rule("organisations.list")
def list_organisations(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff, steering-committee members and partner focal points browse organisations."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE) or roles.has(Role.FOCAL_POINT)


@rule("organisations.view")
def view_organisation(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Organisation.objects.visible_to


@rule("organisations.add")
def add_organisation(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("organisations.change")
def change_organisation(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff edit any organisation; a focal point edits their own (and its sub-organisations)."""
    if roles.is_staff:
        return True
    return obj is not None and obj.pk in scoped_org_ids(user, Role.FOCAL_POINT)
