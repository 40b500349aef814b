"""1EdTech CASE 1.1: a framework version as a CFPackage, and a CFPackage file as a new draft version.

Mapping (docs/exchange.md has the full table):

- version → CFDocument (identifier = version.uuid), item → CFItem (identifier = item.uuid,
  humanCodingScheme = code, fullStatement = statement, CFItemType = level, notes = notes,
  nature in `extensions.capdev.nature` and in `conceptKeywords`);
- the tree → one `isChildOf` CFAssociation per item (sequenceNumber = position; a top-level item is
  the child of the CFDocument); each alignment → an `exactMatchOf` CFAssociation to the external URI;
- the proficiency scale → one CFRubric with one criterion whose levels are the scale's levels
  (quality = name, score and position = position, the threshold flagged in the level's extensions).

CASE needs a stable identifier for every association and for the rubric, which capdev does not
store: they are derived from the uuid they belong to by XOR with a fixed mask that keeps the UUID's
version and variant bits, so that an identifier can be turned back into its item or version.
Published versions never change, so these identifiers never change either.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from capdev.competencies.exchange.common import (
    FrameworkData,
    ItemData,
    ItemLike,
    LevelData,
    VersionTree,
    alignment_uri,
    check_framework,
    decode_upload,
    language_codes,
    load_tree,
    parse_uuid,
    store_framework,
    web_address,
)
from capdev.competencies.exchange.errors import ImportRejected, Problem, ProblemList
from capdev.competencies.exchange.schema import SchemaError, package_schema
from capdev.competencies.models import (
    FrameworkVersion,
    ItemKind,
    Nature,
    ProficiencyLevel,
    VersionStatus,
)

# Masks for derived identifiers (see the module docstring); version and variant bits are zero.
_MASK_CHILD = 0x00F781249BF406D834A4B23740F9D4C7
_MASK_ALIGNMENT = 0x5B88371F91890C2A159B3356B35C0000  # the low 16 bits carry the alignment's index
_MASK_RUBRIC = 0x32AD1752D3A2039C145F50AC5818DFF2
_MASK_CRITERION = 0xE2DD62540FB802AE23A7B673F8CFA457
MAX_ALIGNMENTS_RESOLVED = 64  # alignments per item that /CFAssociations/<id> can find

ADOPTION_STATUS = {
    VersionStatus.DRAFT: "Draft",
    VersionStatus.PUBLISHED: "Adopted",
    VersionStatus.RETIRED: "Deprecated",
}
KIND_TO_TYPE = {ItemKind.DOMAIN: "Domain", ItemKind.COMPETENCY: "Competency", ItemKind.INDICATOR: "Indicator"}
# CFItemType labels other publishers use, read as the nearest capdev level.
TYPE_TO_KIND = {
    "domain": ItemKind.DOMAIN,
    "area": ItemKind.DOMAIN,
    "cluster": ItemKind.DOMAIN,
    "category": ItemKind.DOMAIN,
    "strand": ItemKind.DOMAIN,
    "competency": ItemKind.COMPETENCY,
    "competence": ItemKind.COMPETENCY,
    "standard": ItemKind.COMPETENCY,
    "skill": ItemKind.COMPETENCY,
    "indicator": ItemKind.INDICATOR,
    "performance indicator": ItemKind.INDICATOR,
    "behavioural indicator": ItemKind.INDICATOR,
    "behavioral indicator": ItemKind.INDICATOR,
    "benchmark": ItemKind.INDICATOR,
    "element": ItemKind.INDICATOR,
    "learning outcome": ItemKind.INDICATOR,
}
NATURES = {n.value for n in Nature}
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.RETIRED)


def derived_id(base: uuid.UUID, mask: int) -> uuid.UUID:
    return uuid.UUID(int=base.int ^ mask)


def child_association_id(item_uuid: uuid.UUID) -> uuid.UUID:
    return derived_id(item_uuid, _MASK_CHILD)


def alignment_association_id(item_uuid: uuid.UUID, index: int) -> uuid.UUID:
    return derived_id(item_uuid, _MASK_ALIGNMENT | index)


def rubric_id(version_uuid: uuid.UUID) -> uuid.UUID:
    return derived_id(version_uuid, _MASK_RUBRIC)


def criterion_id(version_uuid: uuid.UUID) -> uuid.UUID:
    return derived_id(version_uuid, _MASK_CRITERION)


def association_candidates(identifier: uuid.UUID) -> list[tuple[uuid.UUID, int | None]]:
    """(item uuid, alignment index or None for isChildOf) that `identifier` may have been derived from."""
    out: list[tuple[uuid.UUID, int | None]] = [(derived_id(identifier, _MASK_CHILD), None)]
    out += [(derived_id(identifier, _MASK_ALIGNMENT | i), i) for i in range(MAX_ALIGNMENTS_RESOLVED)]
    return out


def version_of_rubric(identifier: uuid.UUID) -> uuid.UUID:
    return derived_id(identifier, _MASK_RUBRIC)


# --- export ---------------------------------------------------------------------------------------


def _timestamp(value: datetime.datetime | None) -> str:
    value = value or datetime.datetime.now(tz=datetime.UTC)
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@lru_cache(maxsize=1)
def _url_prefixes() -> dict[str, str]:
    """The absolute URL of each CASE endpoint, without the identifier (reversed once, not per item)."""
    names = ["document-detail", "package-detail", "item-detail", "association-detail", "rubric-detail"]
    return {n: reverse(f"case:{n}", args=[_PLACEHOLDER]).removesuffix(_PLACEHOLDER) for n in names}


@dataclass
class CaseContext:
    """What every object of one version's package needs: its URIs, timestamp and document link."""

    version: FrameworkVersion
    site: str
    stamp: str

    @classmethod
    def for_version(cls, version: FrameworkVersion) -> CaseContext:
        return cls(version=version, site=settings.SITE_URL, stamp=_timestamp(version.updated_at))

    def uri(self, kind: str, identifier: uuid.UUID | str) -> str:
        return f"{self.site}{_url_prefixes()[kind]}{identifier}"

    def document_link(self) -> dict[str, str]:
        v = self.version
        return {"title": v.title, "identifier": str(v.uuid), "uri": self.uri("document-detail", v.uuid)}

    def item_link(self, item: ItemLike) -> dict[str, str]:
        return {
            "title": _item_title(item),
            "identifier": str(item.uuid),
            "uri": self.uri("item-detail", item.uuid),
        }


def _item_title(item: ItemLike) -> str:
    return f"{item.code} {item.statement}".strip()


def document_json(ctx: CaseContext) -> dict[str, Any]:
    """The CFDocument of a package (CFPckgDocument)."""
    v = ctx.version
    owner = v.framework.owner
    doc: dict[str, Any] = {
        "identifier": str(v.uuid),
        "uri": ctx.uri("document-detail", v.uuid),
        "caseVersion": "1.1",
        "creator": owner.name,
        "publisher": owner.name,
        "title": v.title,
        "lastChangeDateTime": ctx.stamp,
        "version": str(v.number),
        "adoptionStatus": ADOPTION_STATUS.get(VersionStatus(v.status), "Draft"),
    }
    if v.description:
        doc["description"] = v.description
    if v.subject:
        doc["subject"] = [v.subject]
    if v.languages:
        doc["language"] = v.languages[0]
    if v.published_at:
        doc["statusStartDate"] = v.published_at.date().isoformat()
    if v.retired_at:
        doc["statusEndDate"] = v.retired_at.date().isoformat()
    if v.licence:
        doc["licenseURI"] = _licence_link(ctx, v.licence)
    if v.change_note:
        doc["notes"] = v.change_note
    doc["extensions"] = {"capdev": {"languages": list(v.languages), "versionNumber": v.number}}
    return doc


def _licence_id(licence: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"capdev:licence:{licence}")


def _licence_link(ctx: CaseContext, licence: str) -> dict[str, str]:
    ident = _licence_id(licence)
    uri = licence if licence.startswith(("http://", "https://")) else f"urn:uuid:{ident}"
    return {"title": licence, "identifier": str(ident), "uri": uri}


def item_json(ctx: CaseContext, item: ItemLike) -> dict[str, Any]:
    """The CFItem of a package (CFPckgItem)."""
    out: dict[str, Any] = {
        "identifier": str(item.uuid),
        "uri": ctx.uri("item-detail", item.uuid),
        "fullStatement": item.statement,
        "humanCodingScheme": item.code,
        "lastChangeDateTime": ctx.stamp,
    }
    if item.kind in KIND_TO_TYPE:
        out["CFItemType"] = KIND_TO_TYPE[ItemKind(item.kind)]
    if item.notes:
        out["notes"] = item.notes
    if item.nature:
        out["conceptKeywords"] = [item.nature]
        out["extensions"] = {"capdev": {"nature": item.nature}}
    return out


def child_association_json(ctx: CaseContext, item: ItemLike, parent: ItemLike | None) -> dict[str, Any]:
    ident = child_association_id(item.uuid)
    return {
        "identifier": str(ident),
        "associationType": "isChildOf",
        "sequenceNumber": item.position,
        "uri": ctx.uri("association-detail", ident),
        "originNodeURI": ctx.item_link(item),
        "destinationNodeURI": ctx.item_link(parent) if parent is not None else ctx.document_link(),
        "lastChangeDateTime": ctx.stamp,
    }


def alignment_associations_json(ctx: CaseContext, item: ItemLike) -> list[dict[str, Any]]:
    out = []
    for index, alignment in enumerate(item.alignments or []):
        uri, title = alignment_uri(alignment)
        if not uri:
            continue
        ident = alignment_association_id(item.uuid, index)
        out.append(
            {
                "identifier": str(ident),
                "associationType": "exactMatchOf",
                "uri": ctx.uri("association-detail", ident),
                "originNodeURI": ctx.item_link(item),
                "destinationNodeURI": {"title": title, "identifier": uri, "uri": uri},
                "lastChangeDateTime": ctx.stamp,
            }
        )
    return out


def rubric_json(ctx: CaseContext, levels: list[ProficiencyLevel]) -> dict[str, Any]:
    """The proficiency scale as one CFRubric with one criterion whose levels are the scale's levels."""
    v = ctx.version
    rid, cid = rubric_id(v.uuid), criterion_id(v.uuid)
    rubric_uri = ctx.uri("rubric-detail", rid)
    return {
        "identifier": str(rid),
        "uri": rubric_uri,
        "title": _("%(title)s: proficiency scale") % {"title": v.title},
        "description": _("The ordered levels used to rate each competency of the framework."),
        "lastChangeDateTime": ctx.stamp,
        "CFRubricCriteria": [
            {
                "identifier": str(cid),
                "uri": f"{rubric_uri}#criterion-{cid}",
                "category": "proficiency",
                "description": _("Proficiency level"),
                "position": 1,
                "rubricId": str(rid),
                "lastChangeDateTime": ctx.stamp,
                "CFRubricCriterionLevels": [
                    {
                        "identifier": str(level.uuid),
                        "uri": f"{rubric_uri}#level-{level.uuid}",
                        "quality": level.name,
                        **({"description": level.description} if level.description else {}),
                        "score": level.position,
                        "position": level.position,
                        "rubricCriterionId": str(cid),
                        "lastChangeDateTime": ctx.stamp,
                        "extensions": [{"capdev": {"proficiencyThreshold": level.is_threshold}}],
                    }
                    for level in levels
                ],
            }
        ],
    }


def package_from_tree(tree: VersionTree) -> dict[str, Any]:
    ctx = CaseContext.for_version(tree.version)
    associations: list[dict[str, Any]] = []
    for item in tree.items:
        associations.append(child_association_json(ctx, item, tree.parent_of[item.pk]))
        associations.extend(alignment_associations_json(ctx, item))
    package: dict[str, Any] = {
        "CFDocument": document_json(ctx),
        "CFItems": [item_json(ctx, item) for item in tree.items],
        "CFAssociations": associations,
    }
    if tree.version.licence:
        lic = tree.version.licence
        package["CFDefinitions"] = {
            "CFLicenses": [
                {
                    "identifier": str(_licence_id(lic)),
                    "uri": _licence_link(ctx, lic)["uri"],
                    "title": lic,
                    "licenseText": lic,
                    "lastChangeDateTime": ctx.stamp,
                }
            ]
        }
    if tree.levels:
        package["CFRubrics"] = [rubric_json(ctx, tree.levels)]
    return package


def export_case_package(version: FrameworkVersion) -> dict[str, Any]:
    """`version` as a CASE 1.1 CFPackage (a JSON-ready dict). Reads with a fixed number of queries:
    the version's framework and owner when not already loaded, its levels and its items."""
    return package_from_tree(load_tree(version))


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


# --- validation -----------------------------------------------------------------------------------


def json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("(document)")


def describe(error: SchemaError) -> Problem:
    """A schema violation as a report line: the JSON path down to the field, and what is wrong."""
    path = json_path(error.path)
    if error.keyword == "required":
        return Problem(json_path((*error.path, error.expected)), _("missing"))
    if error.keyword == "additionalProperties":
        return Problem(json_path((*error.path, error.expected)), _("not a field of this object in CASE 1.1"))
    if error.keyword == "type":
        return Problem(path, _("must be of type %(type)s") % {"type": error.expected})
    if error.keyword == "format":
        return Problem(
            path,
            _("“%(value)s” is not a valid %(format)s") % {"value": error.value, "format": error.expected},
        )
    if error.keyword == "oneOf" and error.path and error.path[-1] == "associationType":
        return Problem(path, _("“%(value)s” is not a CASE association type") % {"value": error.value})
    if error.keyword == "enum":
        return Problem(
            path, _("must be one of: %(values)s") % {"values": ", ".join(map(str, error.expected))}
        )
    if error.keyword == "pattern":
        return Problem(
            path,
            _("“%(value)s” does not match %(pattern)s") % {"value": error.value, "pattern": error.expected},
        )
    return Problem(path, _("does not match any of the allowed forms"))


def schema_problems(doc: Any) -> list[Problem]:
    """The violations of the official CASE 1.1 CFPackage schema in `doc`, in document order."""
    return [describe(e) for e in package_schema().errors(doc)]


# --- import ---------------------------------------------------------------------------------------


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise ImportRejected(
            [Problem(_("(document)"), _("the JSON is nested too deeply to be a CFPackage"))]
        ) from exc
    except json.JSONDecodeError as exc:
        raise ImportRejected(
            [
                Problem(
                    _("line %(line)d, column %(col)d") % {"line": exc.lineno, "col": exc.colno},
                    _("not valid JSON: %(reason)s") % {"reason": exc.msg},
                )
            ]
        ) from exc


def _nature_of(raw: dict[str, Any]) -> str:
    ext = raw.get("extensions") or {}
    capdev = ext.get("capdev") if isinstance(ext, dict) else None
    if isinstance(capdev, dict) and capdev.get("nature") in NATURES:
        return str(capdev["nature"])
    words = [str(k).strip().lower() for k in raw.get("conceptKeywords") or []]
    found = [w for w in words if w in NATURES]
    return found[0] if len(found) == 1 else ""


def _kind_of(raw: dict[str, Any]) -> str:
    label = str(raw.get("CFItemType") or "").strip().lower()
    return TYPE_TO_KIND.get(label, "")


def _is_threshold(raw: dict[str, Any]) -> bool:
    for ext in raw.get("extensions") or []:
        capdev = ext.get("capdev") if isinstance(ext, dict) else None
        if isinstance(capdev, dict) and capdev.get("proficiencyThreshold") is True:
            return True
    return False


def read_package(doc: dict[str, Any], problems: ProblemList) -> FrameworkData:
    """A schema-valid CFPackage as a FrameworkData, adding a problem for every association that
    capdev cannot store (unknown items, a second parent, duplicate identifiers)."""
    cf_doc = doc["CFDocument"]
    doc_id = str(cf_doc["identifier"]).lower()
    ext = cf_doc.get("extensions") or {}
    capdev_ext: dict[str, Any] = ext["capdev"] if isinstance(ext.get("capdev"), dict) else {}
    languages = capdev_ext.get("languages")
    if not (isinstance(languages, list) and all(isinstance(x, str) for x in languages)):
        languages = [cf_doc["language"]] if cf_doc.get("language") else []
    data = FrameworkData(
        title=cf_doc["title"],
        title_location="CFDocument.title",
        source="case",
        description=cf_doc.get("description", ""),
        languages=language_codes(languages),
        subject=", ".join(cf_doc.get("subject") or []),
        licence=(cf_doc.get("licenseURI") or {}).get("title", ""),
        change_note=cf_doc.get("notes", ""),
        identifier=parse_uuid(doc_id),
        identifier_location="CFDocument.identifier",
    )
    items: dict[str, ItemData] = {}
    for i, raw in enumerate(doc.get("CFItems") or []):
        ident = str(raw["identifier"]).lower()
        loc = f"CFItems[{i}]"
        if ident == doc_id:
            problems.add(f"{loc}.identifier", _("the same identifier as the CFDocument"))
        item = ItemData(
            key=ident,
            location=loc,
            code=str(raw.get("humanCodingScheme", "")).strip(),
            code_location=f"{loc}.humanCodingScheme",
            statement=raw["fullStatement"],
            notes=raw.get("notes", ""),
            kind=_kind_of(raw),
            nature=_nature_of(raw),
            identifier=parse_uuid(ident),
        )
        data.items.append(item)
        items.setdefault(ident, item)
    _read_associations(doc, doc_id, items, data, problems)
    _read_rubrics(doc, data, problems)
    return data


def _read_associations(
    doc: dict[str, Any], doc_id: str, items: dict[str, ItemData], data: FrameworkData, problems: ProblemList
) -> None:
    seen: dict[str, str] = {}
    parent_from: dict[str, str] = {}
    ignored: Counter[str] = Counter()
    for j, raw in enumerate(doc.get("CFAssociations") or []):
        loc = f"CFAssociations[{j}]"
        ident = str(raw["identifier"]).lower()
        if ident in seen:
            problems.add(
                f"{loc}.identifier",
                _("duplicate identifier “%(id)s” (first at %(other)s)") % {"id": ident, "other": seen[ident]},
            )
            continue
        seen[ident] = loc
        kind = raw["associationType"]
        origin = str(raw["originNodeURI"]["identifier"]).lower()
        dest_node = raw["destinationNodeURI"]
        dest = str(dest_node["identifier"]).lower()
        if origin not in items and origin != doc_id:
            problems.add(
                f"{loc}.originNodeURI.identifier",
                _("no CFItem “%(id)s” in the package") % {"id": origin},
            )
            continue
        if kind == "isChildOf":
            if origin not in items:
                problems.add(
                    f"{loc}.originNodeURI.identifier", _("the CFDocument cannot be the child of anything")
                )
            elif dest not in items and dest != doc_id:
                problems.add(
                    f"{loc}.destinationNodeURI.identifier",
                    _("no CFItem “%(id)s” in the package") % {"id": dest},
                )
            elif origin in parent_from:
                problems.add(
                    loc,
                    _("the item already has a parent (%(other)s): in capdev an item has exactly one parent")
                    % {"other": parent_from[origin]},
                )
            else:
                parent_from[origin] = loc
                item = items[origin]
                item.parent_key = dest if dest != doc_id else None
                item.parent_location = f"{loc}.destinationNodeURI.identifier"
                seq = raw.get("sequenceNumber")
                item.position = seq if isinstance(seq, int) else None
        elif kind == "exactMatchOf" and origin in items and dest not in items and dest != doc_id:
            uri = web_address(dest_node.get("uri") or dest_node["identifier"])
            if uri is None:
                ignored[_("exactMatchOf (not a web address)")] += 1
            elif uri not in items[origin].alignments:
                items[origin].alignments.append(uri)
        else:
            ignored[kind] += 1
    if ignored:
        data.notices.append(
            _("Associations not imported (capdev keeps the tree and external alignments only): %(list)s")
            % {"list": ", ".join(f"{k} × {n}" for k, n in sorted(ignored.items()))}
        )


def _read_rubrics(doc: dict[str, Any], data: FrameworkData, problems: ProblemList) -> None:
    rubrics = doc.get("CFRubrics") or []
    for r, rubric in enumerate(rubrics):
        for c, criterion in enumerate(rubric.get("CFRubricCriteria") or []):
            raw_levels = criterion.get("CFRubricCriterionLevels") or []
            if not raw_levels:
                continue
            order = sorted(
                enumerate(raw_levels),
                key=lambda e: (not isinstance(e[1].get("position"), int), e[1].get("position") or 0, e[0]),
            )
            for n, raw in order:
                loc = f"CFRubrics[{r}].CFRubricCriteria[{c}].CFRubricCriterionLevels[{n}]"
                name = str(raw.get("quality") or "").strip()
                if not name:
                    problems.add(f"{loc}.quality", _("missing (the name of the level)"))
                position = raw.get("position")
                data.levels.append(
                    LevelData(
                        name=name,
                        location=f"{loc}.quality",
                        description=raw.get("description", ""),
                        is_threshold=_is_threshold(raw),
                        position=position if isinstance(position, int) else None,
                        identifier=parse_uuid(raw.get("identifier")),
                    )
                )
            if len(rubrics) > 1 or len(rubric.get("CFRubricCriteria") or []) > 1:
                data.notices.append(
                    _("Only the first rubric criterion with levels was imported as the proficiency scale.")
                )
            return


def _default_kinds(data: FrameworkData) -> None:
    """Items whose CFItemType capdev does not know get a level from their depth: top-level items with
    children are domains, indicators sit at the third level and below, the rest are competencies."""
    by_key = {i.key: i for i in data.items}
    has_children = {i.parent_key for i in data.items if i.parent_key is not None}
    depth: dict[str, int] = {}

    def depth_of(item: ItemData) -> int:
        chain: list[ItemData] = []
        node: ItemData | None = item
        while node is not None and node.key not in depth:
            chain.append(node)
            node = by_key.get(node.parent_key) if node.parent_key is not None else None
        d = depth[node.key] if node is not None else 0
        for n in reversed(chain):
            d += 1
            depth[n.key] = d
        return depth[item.key]

    for item in data.items:
        if item.kind:
            continue
        d = depth_of(item)
        if d == 1 and item.key in has_children:
            item.kind = ItemKind.DOMAIN
        elif d >= 3:
            item.kind = ItemKind.INDICATOR
        else:
            item.kind = ItemKind.COMPETENCY


def parse_case_package(file_bytes: bytes) -> FrameworkData:
    """Check a CFPackage file completely (size, encoding, JSON, schema, tree) without writing anything."""
    doc = _load_json(decode_upload(file_bytes))
    if not isinstance(doc, dict):
        raise ImportRejected([Problem(_("(document)"), _("a CFPackage is a JSON object"))])
    problems = ProblemList(schema_problems(doc))
    problems.raise_if_any()
    data = read_package(doc, problems)
    check_framework(data, problems)
    problems.raise_if_any()
    _default_kinds(data)
    return data


@transaction.atomic
def import_case_package(
    file_bytes: bytes, *, actor: Any, owner: Any, filename: str = "", notices: list[str] | None = None
) -> FrameworkVersion:
    """Import a CASE 1.1 CFPackage as a new draft version and return it.

    The file must be at most MAX_IMPORT_BYTES of UTF-8 JSON valid against the CASE 1.1 schema, with
    one parent per item, no cycle, no duplicate identifier or code and no association to an item the
    package does not contain; otherwise ImportRejected lists every problem and nothing is written.
    A CFDocument identifier equal to a stored version's uuid makes the import the next draft of that
    framework (refused while it has a draft); otherwise a new framework owned by `owner` is created.
    What the import could not keep is appended to `notices` when given.
    """
    data = parse_case_package(file_bytes)
    version = store_framework(data, actor=actor, owner=owner, filename=filename)
    if notices is not None:
        notices.extend(data.notices)
    return version


def public_versions() -> Any:
    """Versions the CASE endpoints serve to anyone: published and retired ones."""
    return FrameworkVersion.objects.filter(status__in=PUBLIC_STATUSES)
