"""DRF glue to capdev's single permissions module."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission


class CapdevPermission(BasePermission):
    """Checks `can(user, perm)` for the view's action using its `perms` map:
    {"list": "organisations.list", "create": "organisations.add", ...}. Objects outside
    `visible_to` never reach here (the queryset is scoped), so they answer 404."""

    def has_permission(self, request: Any, view: Any) -> bool:
        from capdev.core.permissions import can

        if not request.user or not request.user.is_authenticated:
            return False
        perm = view.perms.get(view.action)
        return perm is None or perm.startswith("obj:") or can(request.user, perm)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        from capdev.core.permissions import can

        perm = view.perms.get(view.action)
        if perm is None:
            return True
        return can(request.user, perm.removeprefix("obj:"), obj)
