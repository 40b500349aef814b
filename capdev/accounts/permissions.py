"""Permission rules for accounts."""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import RoleSet


@rule("accounts.manage_memberships")
def manage_memberships(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Only programme staff grant or revoke roles."""
    return roles.is_staff
