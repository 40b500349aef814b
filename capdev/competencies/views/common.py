"""Shared helpers of the competency views: scoped lookups, refusals, the tree context."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from capdev.competencies.models import (
    CompetencyItem,
    FrameworkVersion,
    ItemKind,
)
from capdev.core.errors import DomainError
from capdev.core.permissions import can, get_visible_or_404
from capdev.core.views import is_partial

# --------------------------------------------------------------------------------------------
# Helpers


def visible_version(request: HttpRequest, pk: int) -> FrameworkVersion:
    return get_visible_or_404(
        FrameworkVersion.objects.select_related("framework__owner", "derived_from"), request.user, pk=pk
    )


def visible_item(request: HttpRequest, pk: int) -> CompetencyItem:
    return get_visible_or_404(
        CompetencyItem.objects.select_related("version__framework__owner", "parent"), request.user, pk=pk
    )


def can_edit(request: HttpRequest, version: FrameworkVersion) -> bool:
    return version.is_editable and can(request.user, "competencies.change", version)


def tree_url(version: FrameworkVersion, item_pk: int | None = None) -> str:
    url = version.get_absolute_url()
    return f"{url}#node-{item_pk}" if item_pk else url


def message_response(text: str, level: str = "danger") -> HttpResponse:
    """An htmx answer that changes nothing on the page but shows (and announces) a message."""
    response = HttpResponse(status=200)
    response["HX-Reswap"] = "none"
    # ASCII JSON: header values must stay Latin-1.
    response["HX-Trigger"] = json.dumps({"capdev:tree-message": {"text": text, "level": level}})
    return response


def refuse(request: HttpRequest, version: FrameworkVersion, error: DomainError) -> HttpResponse:
    """A refused action: a message in place for htmx, a flash message and the version otherwise."""
    if is_partial(request):
        return message_response(error.message)
    messages.error(request, error.message)
    return redirect(version)


def posted(request: HttpRequest) -> Any:
    """The submitted data for a bound form, even when a POST sends no field at all."""
    return request.POST if request.method == "POST" else None


def require_post(request: HttpRequest) -> HttpResponse | None:
    """Permission checks come first (so a GET tells 404/403 apart); then the method."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def build_tree(items: list[CompetencyItem]) -> list[CompetencyItem]:
    """Attach `child_nodes`, `depth` and `descendant_count` to each item; return the roots."""
    children: dict[int | None, list[CompetencyItem]] = defaultdict(list)
    for item in sorted(items, key=lambda i: (i.position, i.pk)):
        children[item.parent_id].append(item)
    roots = children.get(None, [])
    stack: list[tuple[CompetencyItem, int]] = [(root, 0) for root in reversed(roots)]
    order: list[CompetencyItem] = []
    while stack:
        node, depth = stack.pop()
        node.child_nodes = children.get(node.pk, [])  # type: ignore[attr-defined]
        node.depth = depth  # type: ignore[attr-defined]
        order.append(node)
        stack.extend((child, depth + 1) for child in reversed(node.child_nodes))  # type: ignore[attr-defined]
    for node in reversed(order):
        node.descendant_count = sum(  # type: ignore[attr-defined]
            1 + child.descendant_count
            for child in node.child_nodes  # type: ignore[attr-defined]
        )
    return roots


def tree_context(
    request: HttpRequest,
    version: FrameworkVersion,
    *,
    focus: int | None = None,
    announce: str = "",
) -> dict[str, Any]:
    items = list(version.items.all())
    roots = build_tree(items)
    kinds = Counter(i.kind for i in items)
    return {
        "version": version,
        "roots": roots,
        "item_total": len(items),
        "domain_count": kinds.get(ItemKind.DOMAIN, 0),
        "competency_count": kinds.get(ItemKind.COMPETENCY, 0),
        "indicator_count": kinds.get(ItemKind.INDICATOR, 0),
        "editable": can_edit(request, version),
        "focus": focus or "",
        "announce": announce,
    }


def render_tree(
    request: HttpRequest, version: FrameworkVersion, *, focus: int | None = None, announce: str = ""
) -> HttpResponse:
    context = tree_context(request, version, focus=focus, announce=announce)
    return render(request, "competencies/_tree.html", context)


def tree_messages() -> dict[str, str]:
    """Strings tree.js shows or announces, translated here (the JS catalogue is not needed)."""
    return {
        "matches": _("%(n)s items match “%(q)s”."),
        "oneMatch": _("1 item matches “%(q)s”."),
        "noMatch": _("No item matches “%(q)s”."),
        "cleared": _("Search cleared: the whole tree is shown."),
        "expanded": _("All items expanded."),
        "collapsed": _("All items collapsed."),
        "dropBefore": _("Drop before %(code)s"),
        "dropAfter": _("Drop after %(code)s"),
        "dropInside": _("Drop inside %(code)s"),
        "cannotDropInside": _("An item cannot be moved into itself."),
        "moving": _("Moving %(code)s…"),
        "failed": _("The change could not be saved. Reload the page and try again."),
        "close": _("Close"),
    }
