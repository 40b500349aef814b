"""Permission rules for the portfolio dashboard.

What the figures cover is decided by the actions app's `visible_to` querysets: staff and
steering-committee members see the whole programme (steering members: the requests put before the
committee), a partner focal point the requests and Actions of their own organisation.
"""

from __future__ import annotations

from typing import Any

from capdev.core.permissions import rule
from capdev.core.roles import Role, RoleSet


@rule("portfolio.view")
def view_portfolio(user: Any, roles: RoleSet, obj: Any) -> bool:
    """Staff, steering-committee members and partner focal points (scoped to their organisation)."""
    return roles.is_staff or roles.has(Role.STEERING_COMMITTEE) or roles.has(Role.FOCAL_POINT)
