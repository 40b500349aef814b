"""Catalogue pages: the list of standard products, a course, a version with its whole content,
the description form and the version's life cycle (publish, retire, derive, discard), and
material downloads. The authoring of a draft's content is in `authoring_views`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.catalogue import services
from capdev.catalogue.filters import CourseVersionFilter, standard_versions
from capdev.catalogue.forms import CourseCreateForm, VersionForm
from capdev.catalogue.models import (
    Course,
    CourseKind,
    CourseVersion,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
)
from capdev.competencies.models import VersionStatus
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import render_list


def get_version(request: HttpRequest, pk: int, perm: str = "catalogue.view") -> CourseVersion:
    """The version if the user sees it (else 404) and holds `perm` on it (else 403)."""
    version = get_visible_or_404(
        CourseVersion.objects.select_related("course", "course__owner", "framework_version"),
        request.user,
        pk=pk,
    )
    require(request.user, perm, version)
    return version


def get_standard_draft(request: HttpRequest, pk: int, perm: str = "catalogue.change") -> CourseVersion | None:
    """A standard product's version the user may change; None (with a message) when it is not a
    draft, so that the caller redirects to the version's page. Adaptations are edited on their
    own pages (their core objectives are protected there)."""
    version = get_version(request, pk, perm)
    if version.course.kind != CourseKind.STANDARD:
        raise Http404
    if version.status != VersionStatus.DRAFT:
        messages.warning(request, _(services.IMMUTABLE))
        return None
    return version


def course_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "catalogue.list")
    return render_list(
        request,
        template="catalogue/course_list.html",
        partial="catalogue/_course_results.html",
        filterset=CourseVersionFilter(
            request.GET, queryset=standard_versions(request.user), request=request, current_only=True
        ),
    )


@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "catalogue.add")
    form = CourseCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            version = services.create_course(actor=request.user, **values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("“%(title)s” created as a draft.") % {"title": version.title})
            return redirect(version)
    return render(request, "catalogue/course_form.html", {"form": form})


def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_visible_or_404(Course.objects.select_related("owner", "adapted_from"), request.user, pk=pk)
    require(request.user, "catalogue.view", course)
    versions = list(
        CourseVersion.objects.visible_to(request.user)
        .filter(course=course)
        .select_related("derived_from", "based_on")
        .order_by("-number")
    )
    current = next(
        (v for v in versions if v.status == VersionStatus.PUBLISHED), versions[0] if versions else None
    )
    context = {
        "course": course,
        "versions": versions,
        "current": current,
        "can_change": can(request.user, "catalogue.change", course) and course.kind == CourseKind.STANDARD,
        "audit_events": (
            AuditEvent.objects.for_object(course)[:50]
            if can(request.user, "core.view_audit", course)
            else None
        ),
    }
    return render(request, "catalogue/course_detail.html", context)


def version_content(version: CourseVersion) -> dict[str, Any]:
    """Everything a version page shows, in a constant number of queries."""
    mappings = ObjectiveCompetency.objects.select_related("competency", "target_level").order_by(
        "competency__code"
    )
    objectives = LearningObjective.objects.order_by("position").prefetch_related(
        Prefetch("mappings", queryset=mappings)
    )
    materials = Material.objects.order_by("language", "title")
    modules = list(
        Module.objects.filter(version=version)
        .select_related("part")
        .order_by("position")
        .prefetch_related(
            Prefetch("objectives", queryset=objectives), Prefetch("materials", queryset=materials)
        )
    )
    parts = list(version.parts.order_by("position"))
    for part in parts:
        part.module_list = [m for m in modules if m.part_id == part.pk]  # type: ignore[attr-defined]
    languages: dict[str, list[tuple[Module, Material]]] = {}
    for module in modules:
        for material in module.materials.all():
            languages.setdefault(material.language, []).append((module, material))
    return {
        "parts": parts,
        "modules": modules,
        "unassigned_modules": [m for m in modules if m.part_id is None],
        "rules": list(version.rules.select_related("level").order_by("id")),
        "materials_by_language": sorted(languages.items()),
        "thematic_areas": list(version.thematic_areas.all()),
        "objective_count": sum(len(m.objectives.all()) for m in modules),
        "core_count": sum(1 for m in modules for o in m.objectives.all() if o.is_core),
    }


def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_version(request, pk)
    user = request.user
    can_change = can(user, "catalogue.change", version) and version.course.kind == CourseKind.STANDARD
    context = {
        "version": version,
        "course": version.course,
        **version_content(version),
        "other_versions": CourseVersion.objects.visible_to(user)
        .filter(course_id=version.course_id)
        .exclude(pk=version.pk)
        .order_by("-number"),
        "can_change": can_change and version.is_editable,
        "can_derive": can_change and not version.is_editable,
        "can_publish": can(user, "catalogue.publish", version) and version.course.kind == CourseKind.STANDARD,
        "problems": services.publishing_problems(version) if version.is_editable and can_change else [],
        "audit_events": AuditEvent.objects.for_object(version)[:50]
        if can(user, "core.view_audit", version)
        else None,
    }
    return render(request, "catalogue/version_detail.html", context)


@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return redirect("catalogue:version-detail", pk)
    form = VersionForm(request.POST or None, instance=version, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_version(CourseVersion.objects.get(pk=pk), actor=request.user, **form.values())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(version)
    return render(
        request,
        "catalogue/version_form.html",
        {"form": form, "version": version, "course": version.course, "section": "description"},
    )


# --- life cycle ----------------------------------------------------------------------------------


def _lifecycle(
    request: HttpRequest,
    pk: int,
    *,
    perm: str,
    step: str,
) -> HttpResponse:
    version = get_version(request, pk, perm)
    if version.course.kind != CourseKind.STANDARD:
        raise Http404
    problems: list[DomainError] = []
    if step == "publish" and version.is_editable:
        problems = services.publishing_problems(version)
    if request.method == "POST":
        try:
            if step == "publish":
                result = services.publish_version(version, actor=request.user)
                messages.success(request, _("Version %(n)s is published.") % {"n": result.number})
            elif step == "retire":
                result = services.retire_version(version, actor=request.user)
                messages.success(request, _("Version %(n)s is retired.") % {"n": result.number})
            elif step == "derive":
                result = services.derive_version(
                    version, actor=request.user, change_note=request.POST.get("change_note", "")
                )
                messages.success(
                    request,
                    _("Version %(n)s is a new draft: make your changes, then publish it.")
                    % {"n": result.number},
                )
            else:  # discard
                course = services.discard_draft(version, actor=request.user)
                messages.success(request, _("The draft was discarded."))
                return redirect(course if course is not None else "catalogue:course-list")
        except services.NotReadyToPublish as exc:
            problems = exc.problems
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(version)
        else:
            return redirect(result)
    return render(
        request,
        "catalogue/version_confirm.html",
        {"version": version, "course": version.course, "step": step, "problems": problems},
    )


@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, perm="catalogue.publish", step="publish")


@require_http_methods(["GET", "POST"])
def version_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, perm="catalogue.publish", step="retire")


@require_http_methods(["GET", "POST"])
def version_derive(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, perm="catalogue.change", step="derive")


@require_http_methods(["GET", "POST"])
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _lifecycle(request, pk, perm="catalogue.change", step="discard")


# --- downloads -----------------------------------------------------------------------------------


def material_download(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an uploaded material to a user who sees its version (never a public /media/ URL)."""
    material = Material.objects.select_related("module").filter(pk=pk).first()
    if material is None or not material.file:
        raise Http404
    get_version(request, material.module.version_id)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = material.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
