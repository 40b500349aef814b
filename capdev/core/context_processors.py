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


# Menus of the navigation bar: pages are grouped so that the bar fits a laptop screen. A page
# registered by an app appears in its menu when listed here, otherwise on the bar itself.
MENUS: list[tuple[str, Any, list[str]]] = [
    (
        "programme",
        _("Programme"),
        [
            "actions:request-list",
            "actions:action-list",
            "actions:activity-list",
            "portfolio:dashboard",
            "knowledge:lesson-list",
        ],
    ),
    (
        "learning",
        _("Learning"),
        [
            "competencies:framework-list",
            "catalogue:course-list",
            "adaptations:adaptation-list",
            "public_catalogue:course-list",
        ],
    ),
    (
        "delivery",
        _("Delivery"),
        [
            "cohorts:run-list",
            "cohorts:programme-list",
            "cohorts:call-list",
            "cohorts:application-list",
            "portal:participant-list",
            "delivery:attendance-list",
            "portal:run-overview",
        ],
    ),
    (
        "mine",
        _("My space"),
        [
            "portal:my-learning",
            "portal:my-runs",
            "delivery:today",
            "delivery:my-calendar",
            "experts:invitation-list",
        ],
    ),
    (
        "directory",
        _("Directory"),
        ["organisations:organisation-list", "people:person-list", "experts:expert-list"],
    ),
]


def register_nav(label: Any, url_name: str, perm: str | None, prefix: str) -> None:
    """Apps add their top-level pages to the navigation (in their AppConfig.ready)."""
    if not any(item[1] == url_name for item in NAVIGATION):
        NAVIGATION.append((label, url_name, perm, prefix))


def _navigation(request: HttpRequest, user: Any) -> list[dict[str, Any]]:
    """The bar: top-level links and menus (a menu with one visible page becomes a link)."""
    visible: dict[str, dict[str, Any]] = {}
    for label, url_name, perm, prefix in NAVIGATION:
        if perm is None or can(user, perm):
            visible[url_name] = {
                "label": label,
                "url": reverse(url_name),
                "active": request.path.startswith(prefix),
            }
    in_menu = {name for _key, _label, names in MENUS for name in names}
    loose = [item for name, item in visible.items() if name not in in_menu]
    menus: list[dict[str, Any]] = []
    for key, label, names in MENUS:
        items = [visible[name] for name in names if name in visible]
        if len(items) == 1:
            menus.append(items[0])
        elif items:
            menus.append(
                {"label": label, "key": key, "items": items, "active": any(i["active"] for i in items)}
            )
    # The dashboard first, then the menus, then pages of one's own (e.g. "My invitations").
    return loose[:1] + menus + loose[1:]


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    nav = _navigation(request, user) if user is not None and user.is_authenticated else []
    roles = roles_of(user)
    return {
        "nav_items": nav,
        "user_roles": roles,
        "user_is_staff_member": roles.is_staff,
        "can_admin": bool(user and user.is_authenticated and can(user, "core.admin")),
    }
