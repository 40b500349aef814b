"""The coverage matrix page of a framework version, and its CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from capdev.catalogue.coverage import coverage_csv, coverage_matrix
from capdev.competencies.models import FrameworkVersion
from capdev.core.permissions import get_visible_or_404, require
from capdev.core.views import is_partial


def _framework_version(request: HttpRequest, pk: int) -> FrameworkVersion:
    fv = get_visible_or_404(FrameworkVersion.objects.select_related("framework"), request.user, pk=pk)
    require(request.user, "catalogue.view_coverage", fv)
    return fv


def _expanded(request: HttpRequest) -> tuple[set[int], bool]:
    values = request.GET.getlist("expand")
    return {int(v) for v in values if v.isdigit()}, "all" in values


@require_GET
def coverage_matrix_view(request: HttpRequest, framework_version_id: int) -> HttpResponse:
    fv = _framework_version(request, framework_version_id)
    expand, expand_all = _expanded(request)
    matrix = coverage_matrix(fv, expand=expand, expand_all=expand_all)
    for column in matrix.columns:
        if column.module is None:
            count = len(column.version.modules.all())
            column.toggle_label = (  # type: ignore[attr-defined]
                _("Hide modules")
                if column.expanded
                else ngettext("Show %(n)s module", "Show %(n)s modules", count) % {"n": count}
            )
            column.module_count = count  # type: ignore[attr-defined]
            # the link that shows or hides this course's modules (other expanded courses stay so)
            others = sorted(expand - {column.version.pk})
            wanted = others if (column.expanded and not expand_all) else sorted({*others, column.version.pk})
            column.toggle_query = "&".join(f"expand={pk}" for pk in wanted)  # type: ignore[attr-defined]
    context = {"fv": fv, "matrix": matrix, "expand_all": expand_all}
    if is_partial(request):
        return render(request, "catalogue/coverage_matrix.html", context)
    return render(request, "catalogue/coverage.html", context)


@require_GET
def coverage_csv_view(request: HttpRequest, framework_version_id: int) -> HttpResponse:
    fv = _framework_version(request, framework_version_id)
    matrix = coverage_matrix(fv, expand_all=True)
    response = HttpResponse(coverage_csv(matrix), content_type="text/csv; charset=utf-8")
    name = slugify(fv.title) or "framework"
    response["Content-Disposition"] = f'attachment; filename="coverage-{name}-v{fv.number}.csv"'
    return response
