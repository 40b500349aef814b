"""Framework and version pages: list, detail, forms, scale, life cycle, comparison."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
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
    ScaleFormSet,
    VersionForm,
)
from capdev.competencies.models import (
    Framework,
    FrameworkVersion,
    VersionStatus,
)
from capdev.competencies.views.common import (
    posted,
    refuse,
    render_tree,
    tree_context,
    tree_messages,
    visible_version,
)
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, render_list

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
    form = FrameworkCreateForm(posted(request), user=request.user)
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
        posted(request),
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
    version = visible_version(request, pk)
    require(request.user, "competencies.view", version)
    if is_partial(request):
        return render_tree(request, version)
    others = list(
        FrameworkVersion.objects.visible_to(request.user)
        .filter(framework_id=version.framework_id)
        .exclude(pk=version.pk)
        .order_by("-number")
        .only("id", "number", "status", "framework_id")
    )
    context = {
        **tree_context(request, version),
        "framework": version.framework,
        "levels": list(version.levels.all()),
        "other_versions": others,
        "compare_with": version.derived_from
        if version.derived_from in others
        else (others[0] if others else None),
        "can_change": can(request.user, "competencies.change", version),
        "can_publish": can(request.user, "competencies.publish", version),
        "has_draft": any(v.status == VersionStatus.DRAFT for v in others) or version.is_editable,
        "tree_messages": tree_messages(),
        "audit_events": (
            AuditEvent.objects.for_object(version)[:50]
            if can(request.user, "core.view_audit", version)
            else None
        ),
    }
    return render(request, "competencies/version_detail.html", context)


@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = visible_version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    initial = {name: getattr(version, name) for name in services.VERSION_FIELDS}
    form = VersionForm(posted(request), initial=initial)
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
    version = visible_version(request, pk)
    require(request.user, "competencies.change", version)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    levels = list(version.levels.all())
    initial = [
        {"id": lv.pk, "name": lv.name, "description": lv.description, "ORDER": i + 1}
        for i, lv in enumerate(levels)
    ]
    threshold = next((str(i) for i, lv in enumerate(levels) if lv.is_threshold), "")
    formset = ScaleFormSet(posted(request), initial=initial, prefix="levels")
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
    version = visible_version(request, pk)
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
    version = visible_version(request, pk)
    require(request.user, "competencies.publish", version)
    if request.method == "POST":
        try:
            services.retire_version(version, actor=request.user)
        except DomainError as exc:
            return refuse(request, version, exc)
        messages.success(request, _("Version %(n)d is retired.") % {"n": version.number})
        return redirect(version)
    if version.status != VersionStatus.PUBLISHED:
        return refuse(request, version, DomainError(_("Only a published version can be retired.")))
    return render(request, "competencies/version_confirm.html", {"version": version, "verb": "retire"})


@require_http_methods(["GET", "POST"])
def version_derive(request: HttpRequest, pk: int) -> HttpResponse:
    version = visible_version(request, pk)
    require(request.user, "competencies.change", version)
    form = DeriveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.derive_version(version, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            return refuse(request, version, exc)
        messages.success(
            request,
            _("Version %(n)d is a new draft copied from version %(m)d.")
            % {"n": draft.number, "m": version.number},
        )
        return redirect(draft)
    if version.is_editable:
        return refuse(
            request,
            version,
            DomainError(
                _("A draft cannot be the base of a new version: edit it directly, or publish it first.")
            ),
        )
    existing = version.framework.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        messages.info(
            request,
            _("Version %(n)d is already a draft of this framework: continue there.") % {"n": existing.number},
        )
        return redirect(existing)
    return render(
        request, "competencies/version_confirm.html", {"version": version, "verb": "derive", "form": form}
    )


@require_http_methods(["GET", "POST"])
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = visible_version(request, pk)
    require(request.user, "competencies.change", version)
    if request.method == "POST":
        try:
            framework = services.discard_draft(version, actor=request.user)
        except DomainError as exc:
            return refuse(request, version, exc)
        messages.success(request, _("The draft version %(n)d was discarded.") % {"n": version.number})
        return redirect(framework)
    if not version.is_editable:
        return refuse(request, version, services.immutable_error())
    return render(request, "competencies/version_confirm.html", {"version": version, "verb": "discard"})


def version_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare `pk` (the newer side) with `?with_version=` (default: the version it came from)."""
    version = visible_version(request, pk)
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
