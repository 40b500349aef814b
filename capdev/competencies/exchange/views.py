"""Exchange pages: the list of versions with their downloads, the import form with its error report,
and the two downloads. Adapters only: they authorise, call the exchange services and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from capdev.competencies.exchange.case import dumps, import_case_package
from capdev.competencies.exchange.case import export_case_package as build_case
from capdev.competencies.exchange.common import MAX_IMPORT_BYTES
from capdev.competencies.exchange.errors import ImportRejected
from capdev.competencies.exchange.forms import CASE, ImportForm
from capdev.competencies.exchange.moodle import export_moodle_csv, import_moodle_csv
from capdev.competencies.models import FrameworkVersion
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import paginate, query_without_page

IMPORT_PERMISSION = "competencies.add"  # programme staff curate frameworks, imports included


def render_page(request: HttpRequest, name: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"competency_exchange/{name}", context, status=status)


def _version_url(version: FrameworkVersion) -> str:
    try:
        return version.get_absolute_url()
    except NoReverseMatch:  # the authoring pages are not mounted
        return reverse("competency_exchange:index")


@require_GET
def exchange_index(request: HttpRequest) -> HttpResponse:
    """Every version the user may see, each with its CASE and Moodle downloads."""
    require(request.user, "competencies.list")
    versions = (
        FrameworkVersion.objects.visible_to(request.user)
        .select_related("framework__owner")
        .order_by("title", "-number", "pk")
    )
    page = paginate(request, versions)
    return render_page(
        request,
        "exchange_index.html",
        {
            "page": page,
            "object_list": page.object_list,
            "querystring": query_without_page(request),
            "can_import": can(request.user, IMPORT_PERMISSION),
        },
    )


@require_http_methods(["GET", "POST"])
def import_framework(request: HttpRequest) -> HttpResponse:
    """Upload a CASE package or a Moodle CSV; a rejected file shows its error report as a table."""
    require(request.user, IMPORT_PERMISSION)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report: ImportRejected | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        service = import_case_package if form.chosen_format(content[:64]) == CASE else import_moodle_csv
        notices: list[str] = []
        try:
            version = service(
                content,
                actor=request.user,
                owner=form.cleaned_data["owner"],
                filename=upload.name or "",
                notices=notices,
            )
        except ImportRejected as exc:
            report = exc
        else:
            messages.success(
                request,
                _("“%(title)s” imported as draft version %(number)d (%(items)d items).")
                % {"title": version.title, "number": version.number, "items": version.items.count()},
            )
            for notice in notices:
                messages.info(request, notice)
            return redirect(_version_url(version))
    return render_page(
        request,
        "import_form.html",
        {"form": form, "report": report, "max_mb": MAX_IMPORT_BYTES // (1024 * 1024)},
    )


def _visible_version(request: HttpRequest, pk: int) -> FrameworkVersion:
    version = get_visible_or_404(
        FrameworkVersion.objects.select_related("framework__owner"), request.user, pk=pk
    )
    require(request.user, "competencies.view", version)
    return version


def _attachment(version: FrameworkVersion, extension: str) -> str:
    """The Content-Disposition of a download named after the framework and version."""
    name = f"{slugify(version.title) or 'framework'}-v{version.number}.{extension}"
    return content_disposition_header(True, name) or "attachment"


@require_GET
def version_case(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a CASE 1.1 CFPackage (published: anyone logged in; drafts: who may see them)."""
    version = _visible_version(request, pk)
    response = HttpResponse(dumps(build_case(version)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = _attachment(version, "case.json")
    return response


@require_GET
def version_moodle(request: HttpRequest, pk: int) -> HttpResponse:
    """The version as a Moodle competency framework CSV."""
    version = _visible_version(request, pk)
    response = HttpResponse(export_moodle_csv(version), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(version, "moodle.csv")
    return response
