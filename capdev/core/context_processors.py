"""Template context for the application shell: navigation by role, language direction."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capdev.core.permissions import can
from capdev.core.roles import roles_of

# (label, url name, permission needed or None, url prefix that marks the item active)
NAVIGATION: list[tuple[Any, str, str | None, str]] = [
    (_("Dashboard"), "portal:dashboard", None, "/dashboard/"),
    (_("Organisations"), "organisations:organisation-list", "organisations.list", "/organisations/"),
    (_("People"), "people:person-list", "people.list", "/people/"),
]


def register_nav(label: Any, url_name: str, perm: str | None, prefix: str) -> None:
    """Apps add their top-level pages to the navigation (in their AppConfig.ready)."""
    if not any(item[1] == url_name for item in NAVIGATION):
        NAVIGATION.append((label, url_name, perm, prefix))


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        for label, url_name, perm, prefix in NAVIGATION:
            if perm is None or can(user, perm):
                nav.append(
                    {"label": label, "url": reverse(url_name), "active": request.path.startswith(prefix)}
                )
    roles = roles_of(user)
    return {
        "nav_items": nav,
        "user_roles": roles,
        "user_is_staff_member": roles.is_staff,
        "can_admin": bool(user and user.is_authenticated and can(user, "core.admin")),
    }
