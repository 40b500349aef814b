"""The 1EdTech CASE 1.1 read endpoints (/ims/case/v1p1/…), public for published and retired versions.

Anyone may read a framework once it is published, so these endpoints need no login. Drafts, unknown
identifiers and malformed UUIDs answer 404 with a CASE `imsx_StatusInfo` body. Each endpoint reads
a fixed number of rows whatever the size of the framework (a package: version, levels, items).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from capdev.competencies.exchange import case
from capdev.competencies.exchange.common import load_tree
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ProficiencyLevel

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CACHE_SECONDS = 300


def _response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public, credential-free reads for CASE viewers
    if status == 200:
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def status_info(description: str, code_minor: str, status: int) -> JsonResponse:
    """A CASE imsx_StatusInfo error body."""
    return _response(
        {
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": description,
            "imsx_codeMinor": {
                "imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": code_minor}
                ]
            },
        },
        status=status,
    )


def _unknown(identifier: str) -> JsonResponse:
    return status_info(_("Unknown object: %(id)s") % {"id": identifier}, "unknownobject", 404)


def _parse(identifier: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(identifier)
    except ValueError:
        return None


def _invalid(identifier: str) -> JsonResponse:
    return status_info(_("Invalid UUID: %(id)s") % {"id": identifier}, "invalid_uuid", 404)


def _versions() -> Any:
    return case.public_versions().select_related("framework__owner")


def _document_rest(version: FrameworkVersion) -> dict[str, Any]:
    ctx = case.CaseContext.for_version(version)
    doc = case.document_json(ctx)
    doc["CFPackageURI"] = {
        "title": version.title,
        "identifier": str(version.uuid),
        "uri": ctx.uri("package-detail", version.uuid),
    }
    return doc


def _int_param(request: HttpRequest, name: str, default: int) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    return int(raw) if raw.isdigit() else None


@login_not_required
@require_GET
def document_list(request: HttpRequest) -> JsonResponse:
    """GET /CFDocuments: every published or retired version, `limit` (≤ 1000) from `offset`."""
    limit = _int_param(request, "limit", DEFAULT_LIMIT)
    offset = _int_param(request, "offset", 0)
    if limit is None or offset is None or not 1 <= limit <= MAX_LIMIT:
        return status_info(
            _("limit must be a whole number from 1 to %(max)d, offset a whole number from 0")
            % {"max": MAX_LIMIT},
            "invalid_selection_field",
            400,
        )
    qs = _versions().order_by("title", "number", "pk")
    total = qs.count()
    response = _response({"CFDocuments": [_document_rest(v) for v in qs[offset : offset + limit]]})
    response["X-Total-Count"] = str(total)
    return response


@login_not_required
@require_GET
def document_detail(request: HttpRequest, identifier: str) -> JsonResponse:
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    version = _versions().filter(uuid=ident).first()
    return _unknown(identifier) if version is None else _response(_document_rest(version))


@login_not_required
@require_GET
def package_detail(request: HttpRequest, identifier: str) -> JsonResponse:
    """GET /CFPackages/<document identifier>: the whole framework version (three queries)."""
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    version = _versions().filter(uuid=ident).first()
    if version is None:
        return _unknown(identifier)
    return _response(case.package_from_tree(load_tree(version)))


def _public_items() -> Any:
    return CompetencyItem.objects.filter(version__status__in=case.PUBLIC_STATUSES).select_related(
        "version__framework__owner"
    )


def _item_rest(ctx: case.CaseContext, item: CompetencyItem) -> dict[str, Any]:
    out = case.item_json(ctx, item)
    out["CFDocumentURI"] = ctx.document_link()
    return out


def _association_rest(ctx: case.CaseContext, association: dict[str, Any]) -> dict[str, Any]:
    return {**association, "CFDocumentURI": ctx.document_link()}


@login_not_required
@require_GET
def item_detail(request: HttpRequest, identifier: str) -> JsonResponse:
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    item = _public_items().filter(uuid=ident).first()
    if item is None:
        return _unknown(identifier)
    return _response(_item_rest(case.CaseContext.for_version(item.version), item))


@login_not_required
@require_GET
def association_detail(request: HttpRequest, identifier: str) -> JsonResponse:
    """GET /CFAssociations/<id>: association identifiers are derived from their origin item's uuid
    (see capdev.competencies.exchange.case), so one query over the candidates finds it."""
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    candidates = dict(case.association_candidates(ident))
    for item in _public_items().select_related("parent").filter(uuid__in=list(candidates)):
        ctx = case.CaseContext.for_version(item.version)
        index = candidates[item.uuid]
        if index is None:
            return _response(_association_rest(ctx, case.child_association_json(ctx, item, item.parent)))
        for association in case.alignment_associations_json(ctx, item):
            if association["identifier"] == str(ident):
                return _response(_association_rest(ctx, association))
    return _unknown(identifier)


@login_not_required
@require_GET
def item_associations(request: HttpRequest, identifier: str) -> JsonResponse:
    """GET /CFItemAssociations/<item id>: the item and every association it takes part in."""
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    item = _public_items().select_related("parent").filter(uuid=ident).first()
    if item is None:
        return _unknown(identifier)
    ctx = case.CaseContext.for_version(item.version)
    associations = [case.child_association_json(ctx, item, item.parent)]
    associations += case.alignment_associations_json(ctx, item)
    children = CompetencyItem.objects.filter(parent=item).only(*_CHILD_FIELDS).order_by("position", "id")
    associations += [case.child_association_json(ctx, child, item) for child in children]
    return _response(
        {
            "CFItem": _item_rest(ctx, item),
            "CFAssociations": [_association_rest(ctx, a) for a in associations],
        }
    )


_CHILD_FIELDS = ("id", "uuid", "code", "statement", "position", "parent_id", "version_id")


@login_not_required
@require_GET
def rubric_detail(request: HttpRequest, identifier: str) -> JsonResponse:
    """GET /CFRubrics/<id>: the proficiency scale of a published version."""
    ident = _parse(identifier)
    if ident is None:
        return _invalid(identifier)
    version = _versions().filter(uuid=case.version_of_rubric(ident)).first()
    if version is None:
        return _unknown(identifier)
    levels = list(ProficiencyLevel.objects.filter(version=version).order_by("position", "id"))
    if not levels:
        return _unknown(identifier)
    return _response(case.rubric_json(case.CaseContext.for_version(version), levels))
