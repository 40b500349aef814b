"""Competency framework pages: the list, a framework with its versions, and a version's authoring
tree (inline edit, add, delete and move through htmx), its scale, its life cycle and comparisons.

Every view is an adapter: find the object among those the user may see (404 otherwise), check
the permission (403), call a service, render. Tree endpoints answer htmx with a fragment (the
re-rendered tree, one row or a form) and other requests with a page or a redirect, so every
action also works without JavaScript.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.competencies import services
from capdev.competencies.filters import FrameworkFilter
from capdev.competencies.forms import (
    CompareForm,
    DeriveForm,
    FrameworkCreateForm,
    FrameworkForm,
    ItemForm,
    ScaleFormSet,
    VersionForm,
)
from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    VersionStatus,
)
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, render_list

# --------------------------------------------------------------------------------------------
# Helpers


def _version(request: HttpRequest, pk: int) -> FrameworkVersion:
    return get_visible_or_404(
        FrameworkVersion.objects.select_related("framework__owner", "derived_from"), request.user, pk=pk
    )


def _item(request: HttpRequest, pk: int) -> CompetencyItem:
    return get_visible_or_404(
        CompetencyItem.objects.select_related("version__framework__owner", "parent"), request.user, pk=pk
    )


def _can_edit(request: HttpRequest, version: FrameworkVersion) -> bool:
    return version.is_editable and can(request.user, "competencies.change", version)


def _tree_url(version: FrameworkVersion, item_pk: int | None = None) -> str:
    url = version.get_absolute_url()
    return f"{url}#node-{item_pk}" if item_pk else url


def _message_response(text: str, level: str = "danger") -> HttpResponse:
    """An htmx answer that changes nothing on the page but shows (and announces) a message."""
    response = HttpResponse(status=200)
    response["HX-Reswap"] = "none"
    # ASCII JSON: header values must stay Latin-1.
    response["HX-Trigger"] = json.dumps({"capdev:tree-message": {"text": text, "level": level}})
    return response


def _refuse(request: HttpRequest, version: FrameworkVersion, error: DomainError) -> HttpResponse:
    """A refused action: a message in place for htmx, a flash message and the version otherwise."""
    if is_partial(request):
        return _message_response(error.message)
    messages.error(request, error.message)
    return redirect(version)


def _posted(request: HttpRequest) -> Any:
    """The submitted data for a bound form, even when a POST sends no field at all."""
    return request.POST if request.method == "POST" else None


def _require_post(request: HttpRequest) -> HttpResponse | None:
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


def _tree_context(
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
        "editable": _can_edit(request, version),
        "focus": focus or "",
        "announce": announce,
    }


def _render_tree(
    request: HttpRequest, version: FrameworkVersion, *, focus: int | None = None, announce: str = ""
) -> HttpResponse:
    context = _tree_context(request, version, focus=focus, announce=announce)
    return render(request, "competencies/_tree.html", context)


def _tree_messages() -> dict[str, str]:
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


# --------------------------------------------------------------------------------------------
# Frameworks


def framework_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "competencies.list")
    versions = FrameworkVersion.objects.visible_to(request.user).with_item_count().order_by("-number")
    qs = (
        Framework.objects.visible_to(request.user)
        .select_related("owner")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="visible_versions"))
        .order_by("title", "id")
    )
    return render_list(
        request,
        template="competencies/framework_list.html",
        partial="competencies/_framework_results.html",
        filterset=FrameworkFilter(request.GET, queryset=qs, request=request),
    )


@require_http_methods(["GET", "POST"])
def framework_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "competencies.add")
    form = FrameworkCreateForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.create_framework(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Framework “%(title)s” created: version 1 is a draft you can now fill in.")
                % {"title": framework.title},
            )
            return redirect(framework.versions.get())
    return render(request, "competencies/framework_form.html", {"form": form, "framework": None})


def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_visible_or_404(Framework.objects.select_related("owner"), request.user, pk=pk)
    require(request.user, "competencies.view", framework)
    versions = list(
        FrameworkVersion.objects.visible_to(request.user)
        .filter(framework=framework)
        .select_related("derived_from")
        .with_item_count()
        .order_by("-number")
    )
    has_draft = any(v.status == VersionStatus.DRAFT for v in versions)
    derivable = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    can_change = can(request.user, "competencies.change", framework)
    context = {
        "framework": framework,
        "versions": versions,
        "can_change": can_change,
        "derive_from": derivable if can_change and not has_draft else None,
        "audit_events": (
            AuditEvent.objects.for_object(framework)[:50]
            if can(request.user, "core.view_audit", framework)
            else None
        ),
    }
    return render(request, "competencies/framework_detail.html", context)


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_visible_or_404(Framework.objects.select_related("owner"), request.user, pk=pk)
    require(request.user, "competencies.change", framework)
    form = FrameworkForm(
        _posted(request),
        initial={"title": framework.title, "owner": framework.owner},
        user=request.user,
        current_owner=framework.owner,
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.update_framework(framework, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(framework)
    return render(request, "competencies/framework_form.html", {"form": form, "framework": framework})


# --------------------------------------------------------------------------------------------
# Versions


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.view", version)
    if is_partial(request):
        return _render_tree(request, version)
    others = list(
        FrameworkVersion.objects.visible_to(request.user)
        .filter(framework_id=version.framework_id)
        .exclude(pk=version.pk)
        .order_by("-number")
        .only("id", "number", "status", "framework_id")
    )
    context = {
        **_tree_context(request, version),
        "framework": version.framework,
        "levels": list(version.levels.all()),
        "other_versions": others,
        "compare_with": version.derived_from
        if version.derived_from in others
        else (others[0] if others else None),
        "can_change": can(request.user, "competencies.change", version),
        "can_publish": can(request.user, "competencies.publish", version),
        "has_draft": any(v.status == VersionStatus.DRAFT for v in others) or version.is_editable,
        "tree_messages": _tree_messages(),
        "audit_events": (
            AuditEvent.objects.for_object(version)[:50]
            if can(request.user, "core.view_audit", version)
            else None
        ),
    }
    return render(request, "competencies/version_detail.html", context)


@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
    initial = {name: getattr(version, name) for name in services.VERSION_FIELDS}
    form = VersionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.update_version(version, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(version)
    return render(request, "competencies/version_form.html", {"form": form, "version": version})


@require_http_methods(["GET", "POST"])
def version_scale(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
    levels = list(version.levels.all())
    initial = [
        {"id": lv.pk, "name": lv.name, "description": lv.description, "ORDER": i + 1}
        for i, lv in enumerate(levels)
    ]
    threshold = next((str(i) for i, lv in enumerate(levels) if lv.is_threshold), "")
    formset = ScaleFormSet(_posted(request), initial=initial, prefix="levels")
    error = None
    if request.method == "POST":
        threshold = request.POST.get("threshold", "")
        if formset.is_valid():
            # ordered_forms: by the "Order" column (empty last), without deleted or unused rows.
            rows = [
                {
                    "id": form.cleaned_data.get("id"),
                    "name": form.cleaned_data.get("name", ""),
                    "description": form.cleaned_data.get("description", ""),
                    "is_threshold": str(form.prefix).rsplit("-", 1)[-1] == threshold,
                }
                for form in formset.ordered_forms
                if (form.cleaned_data.get("name") or "").strip()
            ]
            try:
                services.set_scale(version, actor=request.user, levels=rows)
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Proficiency scale saved."))
                return redirect(version)
        else:
            error = _("Check the levels below.")
    return render(
        request,
        "competencies/version_scale.html",
        {"version": version, "formset": formset, "threshold": threshold, "error": error},
    )


@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.publish", version)
    if request.method == "POST":
        try:
            services.publish_version(version, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("competencies:version-publish", pk=version.pk)
        messages.success(
            request, _("Version %(n)d is published: it can no longer be changed.") % {"n": version.number}
        )
        return redirect(version)
    if version.status != VersionStatus.DRAFT:
        messages.info(request, _("This version is already published."))
        return redirect(version)
    context = {
        "version": version,
        "problems": services.publish_problems(version),
        "item_total": version.items.count(),
        "published_versions": version.framework.versions.filter(status=VersionStatus.PUBLISHED),
    }
    return render(request, "competencies/version_publish.html", context)


@require_http_methods(["GET", "POST"])
def version_retire(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.publish", version)
    if request.method == "POST":
        try:
            services.retire_version(version, actor=request.user)
        except DomainError as exc:
            return _refuse(request, version, exc)
        messages.success(request, _("Version %(n)d is retired.") % {"n": version.number})
        return redirect(version)
    if version.status != VersionStatus.PUBLISHED:
        return _refuse(request, version, DomainError(_("Only a published version can be retired.")))
    return render(request, "competencies/version_confirm.html", {"version": version, "verb": "retire"})


@require_http_methods(["GET", "POST"])
def version_derive(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.change", version)
    form = DeriveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.derive_version(version, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            return _refuse(request, version, exc)
        messages.success(
            request,
            _("Version %(n)d is a new draft copied from version %(m)d.")
            % {"n": draft.number, "m": version.number},
        )
        return redirect(draft)
    if version.is_editable:
        return _refuse(
            request,
            version,
            DomainError(
                _("A draft cannot be the base of a new version: edit it directly, or publish it first.")
            ),
        )
    draft = version.framework.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        messages.info(
            request,
            _("Version %(n)d is already a draft of this framework: continue there.") % {"n": draft.number},
        )
        return redirect(draft)
    return render(
        request, "competencies/version_confirm.html", {"version": version, "verb": "derive", "form": form}
    )


@require_http_methods(["GET", "POST"])
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    require(request.user, "competencies.change", version)
    if request.method == "POST":
        try:
            framework = services.discard_draft(version, actor=request.user)
        except DomainError as exc:
            return _refuse(request, version, exc)
        messages.success(request, _("The draft version %(n)d was discarded.") % {"n": version.number})
        return redirect(framework)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
    return render(request, "competencies/version_confirm.html", {"version": version, "verb": "discard"})


def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare `pk` (the newer side) with `?with_version=` (default: the version it came from)."""
    version = _version(request, pk)
    require(request.user, "competencies.view", version)
    others = (
        FrameworkVersion.objects.visible_to(request.user)
        .filter(framework_id=version.framework_id)
        .exclude(pk=version.pk)
        .order_by("-number")
    )
    default = version.derived_from_id or others.values_list("pk", flat=True).first()
    form = CompareForm(request.GET or {"with_version": default}, versions=others)
    comparison = None
    if others.exists() and form.is_valid():
        comparison = services.compare_versions(form.cleaned_data["with_version"], version)
    return render(
        request,
        "competencies/version_compare.html",
        {"version": version, "form": form, "comparison": comparison, "has_others": others.exists()},
    )


# --------------------------------------------------------------------------------------------
# Items (htmx fragments, with full-page fallbacks)


def _row(request: HttpRequest, item: CompetencyItem, *, announce: str = "") -> HttpResponse:
    editable = _can_edit(request, item.version)
    return render(
        request,
        "competencies/_item_row.html",
        {"item": item, "version": item.version, "editable": editable, "announce": announce},
    )


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
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
            "editable": _can_edit(request, item.version),
        },
    )


@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    initial["alignments"] = "\n".join(item.alignments or [])
    form = ItemForm(_posted(request), initial=initial, auto_id=f"item{item.pk}_%s")
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
            return redirect(_tree_url(version, item.pk))
    template = "competencies/_item_form.html" if is_partial(request) else "competencies/item_form.html"
    return render(request, template, {"form": form, "item": item, "version": version, "mode": "edit"})


@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item: GET gives the form (inline for htmx), POST creates it.

    `parent` (an item id, empty for a domain) and `position` (among its siblings, empty for
    last) say where; `mode` says where the inline form goes: child, after (a sibling) or root."""
    version = _version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
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
    form = ItemForm(_posted(request), initial={"kind": kind}, creating=True, auto_id="new_item_%s")
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_item(
                version, actor=request.user, parent=parent, position=position, **form.cleaned_data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if is_partial(request):
                return _render_tree(
                    request, version, focus=item.pk, announce=_("%(code)s added.") % {"code": item.code}
                )
            messages.success(request, _("%(code)s added.") % {"code": item.code})
            return redirect(_tree_url(version, item.pk))
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
    item = _item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if (not_allowed := _require_post(request)) is not None:
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
        return _refuse(request, version, exc)
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
        return _render_tree(request, version, focus=item.pk, announce=announce)
    messages.success(request, announce)
    return redirect(_tree_url(version, item.pk))


@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    version = item.version
    require(request.user, "competencies.change", item)
    if not version.is_editable:
        return _refuse(request, version, services.immutable_error())
    if request.method == "POST":
        code = item.code
        try:
            count = services.delete_item(item, actor=request.user)
        except DomainError as exc:
            return _refuse(request, version, exc)
        if count > 1:
            announce = _("%(code)s and its %(n)d sub-items were deleted.") % {"code": code, "n": count - 1}
        else:
            announce = _("%(code)s was deleted.") % {"code": code}
        if is_partial(request):
            return _render_tree(request, version, focus=item.parent_id, announce=announce)
        messages.success(request, announce)
        return redirect(_tree_url(version, item.parent_id))
    items = list(version.items.all())
    build_tree(items)
    node = next(i for i in items if i.pk == item.pk)
    return render(
        request,
        "competencies/item_delete.html",
        {"item": node, "version": version, "descendants": node.descendant_count},
    )
