"""The public catalogue: published products and adaptations, for anyone, without login."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from capdev.catalogue.adaptations import partner_choices
from capdev.catalogue.models import (
    Course,
    CourseKind,
    CourseVersion,
    LearningObjective,
    Module,
    ObjectiveCompetency,
)
from capdev.catalogue.public_filters import PublicCourseFilter, current_published_versions, language_name
from capdev.competencies.models import CompetencyItem, ProficiencyLevel, VersionStatus
from capdev.core.permissions import can
from capdev.core.views import is_partial, paginate, query_without_page


@login_not_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    """Published products with search and filters; htmx requests get only the results.

    A fixed number of queries whatever the size of the catalogue (see test_public_catalogue)."""
    filterset = PublicCourseFilter(request.GET, queryset=current_published_versions(), request=request)
    page = paginate(request, filterset.qs)
    rows = list(page.object_list)
    for v in rows:
        v.language_names = [language_name(c) for c in v.languages]
    context = {
        "filter": filterset,
        "page": page,
        "object_list": rows,
        "querystring": query_without_page(request),
        "results_template": "catalogue/public/_course_results.html",
        "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    template = (
        "catalogue/public/_course_results.html"
        if is_partial(request)
        else "catalogue/public/course_list.html"
    )
    return render(request, template, context)


@dataclass
class DevelopedCompetency:
    """A competency the version develops, with the highest target level its objectives aim at."""

    item: CompetencyItem
    level: ProficiencyLevel
    objectives: int


@login_not_required
@require_GET
def course_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The newest published version of a course. Drafts and retired-only courses answer 404."""
    course = get_object_or_404(Course.objects.select_related("owner", "adapted_from"), uuid=uuid)
    version = (
        CourseVersion.objects.filter(course=course, status=VersionStatus.PUBLISHED)
        .select_related("framework_version", "based_on", "based_on__course")
        .prefetch_related("thematic_areas", "parts")
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    modules = list(
        Module.objects.filter(version=version)
        .select_related("part")
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("objectives", queryset=LearningObjective.objects.order_by("position", "pk"))
        )
    )
    mappings = list(
        ObjectiveCompetency.objects.filter(objective__module__version=version)
        .select_related("competency", "competency__parent", "target_level")
        .order_by("competency__code")
    )
    developed: dict[int, DevelopedCompetency] = {}
    by_objective: dict[int, list[ObjectiveCompetency]] = {}
    for m in mappings:
        by_objective.setdefault(m.objective_id, []).append(m)
        current = developed.get(m.competency_id)
        if current is None:
            developed[m.competency_id] = DevelopedCompetency(m.competency, m.target_level, 1)
        else:
            current.objectives += 1
            if m.target_level.position > current.level.position:
                current.level = m.target_level
    for module in modules:
        for objective in module.objectives.all():
            objective.developed = by_objective.get(objective.pk, [])  # type: ignore[attr-defined]
    adaptations = (
        list(
            current_published_versions()
            .filter(course__adapted_from=course, course__kind=CourseKind.ADAPTATION)
            .prefetch_related(None)
        )
        if course.kind == CourseKind.STANDARD
        else []
    )
    context: dict[str, Any] = {
        "course": course,
        "version": version,
        "languages": [language_name(c) for c in version.languages],
        "parts": list(version.parts.all()),
        "modules": modules,
        "competencies": sorted(developed.values(), key=lambda d: d.item.code),
        "adaptations": adaptations,
        "can_adapt": (
            course.kind == CourseKind.STANDARD
            and request.user.is_authenticated
            and can(request.user, "catalogue.adapt")
            and partner_choices(request.user).exists()
        ),
        "core_count": sum(1 for m in modules for o in m.objectives.all() if o.is_core),
    }
    return render(request, "catalogue/public/course_detail.html", context)
