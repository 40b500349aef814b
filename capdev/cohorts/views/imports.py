"""Bulk import of participants into a run: upload, preview (counts, rows, errors by row and
column), import or discard, the downloadable error report and the templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.cohorts import services
from capdev.cohorts.forms import ImportForm
from capdev.cohorts.models import ImportStatus, ParticipantImport
from capdev.cohorts.services.import_files import (
    COLUMN_LABELS,
    COLUMNS,
    MAX_IMPORT_SIZE,
    MAX_ROWS,
    TEMPLATE_HEADERS,
    error_report,
    template_csv,
    template_xlsx,
)
from capdev.cohorts.services.imports import already_enrolled
from capdev.cohorts.services.seats import seat_summary
from capdev.cohorts.views.common import get_run
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 200


@require_http_methods(["GET", "POST"])
def import_create(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk, "cohorts.enrol")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.check_import(run, form.cleaned_data["file"], actor=request.user)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("cohorts:import-detail", pk=run.pk, import_pk=record.pk)
    recent = ParticipantImport.objects.filter(run=run).select_related("created_by")[:10]
    return render(
        request,
        "cohorts/import_form.html",
        {
            "form": form,
            "run": run,
            "seats": seat_summary([run])[0],
            "columns": [(c, COLUMN_LABELS[c]) for c in COLUMNS],
            "headers": TEMPLATE_HEADERS,
            "languages": [("en", "English"), ("fr", "Français"), ("es", "Español"), ("pt", "Português")],
            "max_mb": MAX_IMPORT_SIZE // 1024 // 1024,
            "max_rows": MAX_ROWS,
            "recent": recent,
        },
    )


def _record(request: HttpRequest, pk: int, import_pk: int) -> tuple[Any, ParticipantImport]:
    run = get_run(request, pk, "cohorts.enrol")
    record = ParticipantImport.objects.filter(run=run, pk=import_pk).select_related("created_by").first()
    if record is None:
        raise Http404
    return run, record


def import_detail(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The preview (counts, then "Import"), or the errors, or the result."""
    run, record = _record(request, pk, import_pk)
    rows = record.rows[:PREVIEW_ROWS]
    return render(
        request,
        "cohorts/import_detail.html",
        {
            "run": run,
            "record": record,
            "rows": rows,
            "more_rows": max(0, len(record.rows) - PREVIEW_ROWS),
            "errors": record.errors[:500],
            "more_errors": max(0, len(record.errors) - 500),
            "already_enrolled": already_enrolled(record) if record.status == ImportStatus.VALIDATED else None,
            "joining": sum(1 for r in record.rows if r.get("outcome") in ("new", "match")),
            "seats": seat_summary([run])[0],
            "column_labels": COLUMN_LABELS,
        },
    )


@require_POST
def import_apply(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    _run, record = _record(request, pk, import_pk)
    try:
        record = services.apply_import(record, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The participants were imported."))
    return redirect("cohorts:import-detail", pk=pk, import_pk=record.pk)


@require_POST
def import_discard(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    _run, record = _record(request, pk, import_pk)
    try:
        services.discard_import(record, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("cohorts:import-create", pk=pk)


def import_errors(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The error report as CSV: row, column, value, message."""
    _run, record = _record(request, pk, import_pk)
    response = HttpResponse(error_report(record), content_type="text/csv; charset=utf-8")
    stem = record.original_name.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = content_disposition_header(True, f"{stem}-errors.csv") or "attachment"
    return response


def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The template to fill in, with its headers in the language asked for (?lang=)."""
    require(request.user, "cohorts.enrol")
    language = request.GET.get("lang") or (get_language() or "en")[:2]
    if language not in TEMPLATE_HEADERS:
        language = "en"
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(language), content_type=XLSX)
    else:
        response = HttpResponse(template_csv(language), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        content_disposition_header(True, f"participants-{language}.{fmt}") or "attachment"
    )
    return response
