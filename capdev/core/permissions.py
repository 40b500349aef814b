"""The one place that decides who may do what.

`can(user, "app.verb", obj)` answers every permission question in capdev; each app registers
the rules for its own verbs in its `permissions.py` (imported by its AppConfig). Visibility (what
a user may know exists) is decided by each model's `visible_to(user)` queryset: an object
outside it answers 404, a visible object the role may not act on answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from capdev.core.roles import RoleSet, roles_of

Rule = Callable[[Any, RoleSet, Any], bool]
_RULES: dict[str, Rule] = {}

M = TypeVar("M", bound=models.Model)


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register the rule for permission `name` ("app.verb")."""

    def decorator(fn: Rule) -> Rule:
        if name in _RULES and _RULES[name] is not fn:
            raise ValueError(f"Permission {name!r} is registered twice.")
        _RULES[name] = fn
        return fn

    return decorator


def can(user: Any, perm: str, obj: Any = None) -> bool:
    """Whether `user` may `perm` (on `obj` when given). Unknown permissions raise."""
    try:
        fn = _RULES[perm]
    except KeyError:
        raise KeyError(f"Unknown permission {perm!r}; register it with @rule.") from None
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(fn(user, roles_of(user), obj))


def require(user: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless `can(user, perm, obj)`."""
    if not can(user, perm, obj):
        raise PermissionDenied


def get_visible_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """The object matching `lookup` among those `user` may see, or 404 (never 403)."""
    qs: Any = queryset
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def registered() -> list[str]:
    return sorted(_RULES)


@rule("core.view_audit")
def _view_audit(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff


@rule("core.admin")
def _admin(user: Any, roles: RoleSet, obj: Any) -> bool:
    return roles.is_staff
