"""The authoring tree's item endpoints: htmx fragments with full-page fallbacks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.competencies import services
from capdev.competencies.forms import ItemForm
from capdev.competencies.models import CompetencyItem, ItemKind
from capdev.competencies.views.common import (
    build_tree,
    can_edit,
    posted,
    refuse,
    render_tree,
    require_post,
    tree_url,
    visible_item,
    visible_version,
)
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import get_visible_or_404, require
from capdev.core.views import is_partial

# --------------------------------------------------------------------------------------------
# Items (htmx fragments, with full-page fallbacks)


def _row(request: HttpRequest, item: CompetencyItem, *, announce: str = "") -> HttpResponse:
    editable = can_edit(request, item.version)
    return render(
        request,
        "competencies/_item_row.html",
        {"item": item, "version": item.version, "editable": editable, "announce": announce},
    )


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    require(request.user, "competencies.view", item)
    if is_partial(request):
        return _row(request, item)
    children = list(item.children.order_by("position", "id"))
    return render(
        request,
        "competencies/item_detail.html",
        {
            "item": item,
            "version": item.version,
            "children": children,
            "editable": can_edit(request, item.version),
        },
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    initial["alignments"] = "\n".join(item.alignments or [])
    form = ItemForm(posted(request), initial=initial, auto_id=f"item{item.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.update_item(item, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if is_partial(request):
                item.version = version
                return _row(request, item, announce=_("%(code)s saved.") % {"code": item.code})
            messages.success(request, _("Changes saved."))
            return redirect(tree_url(version, item.pk))
    template = "competencies/_item_form.html" if is_partial(request) else "competencies/item_form.html"
    return render(request, template, {"form": form, "item": item, "version": version, "mode": "edit"})


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item: GET gives the form (inline for htmx), POST creates it.

    `parent` (an item id, empty for a domain) and `position` (among its siblings, empty for
    last) say where; `mode` says where the inline form goes: child, after (a sibling) or root."""
    version = visible_version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    params = request.POST if request.method == "POST" else request.GET
    parent = None
    if params.get("parent"):
        parent = get_visible_or_404(
            CompetencyItem.objects.filter(version=version), request.user, pk=params["parent"]
        )
    try:
        position = int(params["position"]) if params.get("position") else None
    except ValueError:
        position = None
    mode = params.get("mode") if params.get("mode") in ("child", "after", "root") else "root"
    kind = (
        ItemKind.DOMAIN
        if parent is None
        else (ItemKind.COMPETENCY if parent.kind == ItemKind.DOMAIN else ItemKind.INDICATOR)
    )
    form = ItemForm(posted(request), initial={"kind": kind}, creating=True, auto_id="new_item_%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(
                version, actor=request.user, parent=parent, position=position, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if is_partial(request):
                return render_tree(
                    request, version, focus=item.pk, announce=_("%(code)s added.") % {"code": item.code}
                )
            messages.success(request, _("%(code)s added.") % {"code": item.code})
            return redirect(tree_url(version, item.pk))
    context = {
        "form": form,
        "version": version,
        "parent": parent,
        "position": "" if position is None else position,
        "mode": mode,
    }
    if is_partial(request):
        response = render(request, "competencies/_item_add_form.html", context)
        if request.method == "POST":  # invalid: replace the form where it stands
            response["HX-Retarget"] = "#new-item"
            response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "competencies/item_form.html", {**context, "mode": "add"})


def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an item one step (`direction`: up, down, indent, outdent; the keyboard and the menu)
    or next to another item (`target` and `place`: before, after, inside; drag and drop)."""
    item = visible_item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if (not_allowed := require_post(request)) is not None:
        return not_allowed
    direction = request.POST.get("direction", "")
    try:
        if direction:
            item = services.shift_item(item, actor=request.user, direction=direction)
        else:
            target = get_visible_or_404(
                CompetencyItem.objects.filter(version=version),
                request.user,
                pk=request.POST.get("target") or 0,
            )
            item = services.place_item(
                item, actor=request.user, target=target, place=request.POST.get("place", "")
            )
    except DomainError as exc:
        return refuse(request, version, exc)
    item.refresh_from_db()
    siblings = CompetencyItem.objects.filter(version=version, parent_id=item.parent_id).count()
    parent_code = (
        CompetencyItem.objects.filter(pk=item.parent_id).values_list("code", flat=True).first()
        if item.parent_id
        else None
    )
    if parent_code:
        announce = _("%(code)s moved: now %(n)d of %(total)d under %(parent)s.") % {
            "code": item.code,
            "n": item.position + 1,
            "total": siblings,
            "parent": parent_code,
        }
    else:
        announce = _("%(code)s moved: now %(n)d of %(total)d at the top level.") % {
            "code": item.code,
            "n": item.position + 1,
            "total": siblings,
        }
    if is_partial(request):
        return render_tree(request, version, focus=item.pk, announce=announce)
    messages.success(request, announce)
    return redirect(tree_url(version, item.pk))


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = visible_item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    if request.method == "POST":
        code = item.code
        try:
            count = services.delete_item(item, actor=request.user)
        except DomainError as exc:
            return refuse(request, version, exc)
        if count > 1:
            announce = _("%(code)s and its %(n)d sub-items were deleted.") % {"code": code, "n": count - 1}
        else:
            announce = _("%(code)s was deleted.") % {"code": code}
        if is_partial(request):
            return render_tree(request, version, focus=item.parent_id, announce=announce)
        messages.success(request, announce)
        return redirect(tree_url(version, item.parent_id))
    items = list(version.items.all())
    build_tree(items)
    node = next(i for i in items if i.pk == item.pk)
    return render(
        request,
        "competencies/item_delete.html",
        {"item": node, "version": version, "descendants": node.descendant_count},
    )
