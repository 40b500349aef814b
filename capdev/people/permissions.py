"""Permission rules for people."""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet
from capdev.organisations.querysets import scoped_org_ids


def _is_self(user: Any, obj: Any) -> bool:
    return obj is not None and obj.user_id is not None and obj.user_id == user.pk


@rule("people.list")
def list_people(user: Any, roles: RoleSet, obj: Any) -> bool:
    """The directory is for staff and focal points (who see their organisation's people)."""
    return roles.is_staff or roles.has(Role.FOCAL_POINT)


@rule("people.view")
def view_person(user: Any, roles: RoleSet, obj: Any) -> bool:
    return True  # visibility (404) is decided by Person.objects.visible_to


@rule("people.add")
def add_person(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff add anyone; a focal point adds people to their own organisation."""
    return roles.is_staff or roles.has(Role.FOCAL_POINT)


@rule("people.change")
def change_person(user: Any, roles: RoleSet, obj: Any) -> bool:
    if roles.is_staff or _is_self(user, obj):
        return True
    return obj is not None and obj.organisation_id in scoped_org_ids(user, Role.FOCAL_POINT)


@rule("people.export")
def export_person(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff export anyone's data; every person may export their own."""
    return roles.is_staff or _is_self(user, obj)


@rule("people.erase")
def erase_person(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Erasure is irreversible: staff only, and never one's own profile by mistake."""
    return roles.is_staff and not _is_self(user, obj)
