"""CASE 1.1 export and import: schema validity, mapping, round trip, identifiers, and every kind of
malformed package rejected with a report that names the JSON path, leaving the database unchanged."""

from __future__ import annotations

import copy
import functools
import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft201909Validator, FormatChecker

from capdev.competencies.exchange import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    export_case_package,
    import_case_package,
)
from capdev.competencies.exchange.case import alignment_association_id, child_association_id, rubric_id
from capdev.competencies.exchange.samples import (
    build_rich_version,
    build_sample_version,
    normalised,
    row_counts,
)
from capdev.competencies.exchange.schema import SCHEMA_PATH, is_datetime, package_schema
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ItemKind, Nature, VersionStatus
from capdev.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@functools.cache
def official_validator() -> Draft201909Validator:
    """The reference: the jsonschema package with the official schema and its formats enforced
    (date-time needs an extra package in jsonschema, so the project's own check is plugged in)."""
    checker = FormatChecker()
    checker.checks("date-time")(lambda v: not isinstance(v, str) or is_datetime(v))
    return Draft201909Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")), format_checker=checker)


def schema_errors(package: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in official_validator().iter_errors(package)]


def encode(package: dict[str, Any]) -> bytes:
    return json.dumps(package).encode()


def rejected(data: bytes, cast: Any) -> ImportRejected:
    """Import `data`, expecting a rejection that writes nothing; return the rejection."""
    before = row_counts()
    with pytest.raises(ImportRejected) as info:
        import_case_package(data, actor=cast.staff, owner=cast.org_a)
    assert row_counts() == before
    return info.value


def report(exc: ImportRejected) -> list[str]:
    return [str(p) for p in exc.problems]


@pytest.fixture
def version(cast: Any) -> FrameworkVersion:
    return build_rich_version(cast.implementer)


@pytest.fixture
def package(version: FrameworkVersion) -> dict[str, Any]:
    return export_case_package(version)


# --- export ---------------------------------------------------------------------------------------


def test_the_schema_kept_in_the_repository_is_the_official_one():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert (
        schema["$id"]
        == "https://purl.imsglobal.org/spec/case/v1p1/schema/json/case_v1p1_cfpackage-jsonschema1.json"
    )
    assert schema["$schema"].startswith("https://json-schema.org/draft/2019-09/")


def test_export_validates_against_the_official_case_schema(package):
    assert schema_errors(package) == []


def test_export_of_a_draft_and_of_a_scale_less_version_validate_too(cast):
    draft = build_sample_version(cast.org_a, status=VersionStatus.DRAFT, title="Draft")
    draft.levels.all().delete()
    package = export_case_package(draft)
    assert schema_errors(package) == []
    assert package["CFDocument"]["adoptionStatus"] == "Draft"
    assert "CFRubrics" not in package


def test_the_validator_enforces_formats(package):
    broken = copy.deepcopy(package)
    broken["CFItems"][0]["identifier"] = "not-a-uuid"
    broken["CFItems"][1]["lastChangeDateTime"] = "yesterday"
    messages = " ".join(schema_errors(broken))
    assert "not-a-uuid" in messages and "yesterday" in messages


def test_document_maps_the_version(version, package):
    doc = package["CFDocument"]
    assert doc["identifier"] == str(version.uuid)
    assert doc["uri"].endswith(f"/ims/case/v1p1/CFDocuments/{version.uuid}")
    assert doc["creator"] == version.framework.owner.name
    assert doc["title"] == version.title
    assert doc["version"] == "1"
    assert doc["adoptionStatus"] == "Adopted"
    assert doc["language"] == "en"
    assert doc["extensions"]["capdev"]["languages"] == ["en", "pt"]
    assert doc["subject"] == ["Training of trainers"]
    assert doc["licenseURI"]["uri"] == "https://creativecommons.org/licenses/by/4.0/"
    assert doc["notes"] == "First release.\nReviewed by the board."
    assert doc["lastChangeDateTime"].endswith("Z")


def test_items_map_code_statement_level_type_and_notes(version, package):
    item = CompetencyItem.objects.get(version=version, code="D1.1")
    cf = next(i for i in package["CFItems"] if i["identifier"] == str(item.uuid))
    assert cf["humanCodingScheme"] == "D1.1"
    assert cf["fullStatement"] == item.statement
    assert cf["CFItemType"] == "Competency"
    assert cf["conceptKeywords"] == [item.nature]
    assert cf["extensions"] == {"capdev": {"nature": item.nature}}
    natures = {i.get("extensions", {}).get("capdev", {}).get("nature") for i in package["CFItems"]}
    assert {Nature.KNOWLEDGE, Nature.SKILL, Nature.ATTITUDE} <= natures


def test_tree_is_exported_as_ordered_is_child_of_associations(version, package):
    by_origin = {
        a["originNodeURI"]["identifier"]: a
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    assert len(by_origin) == CompetencyItem.objects.filter(version=version).count()
    d1 = CompetencyItem.objects.get(version=version, code="D1")
    d11 = CompetencyItem.objects.get(version=version, code="D1.1")
    d111 = CompetencyItem.objects.get(version=version, code="D1.1.1")
    assert by_origin[str(d1.uuid)]["destinationNodeURI"]["identifier"] == str(version.uuid)
    assert by_origin[str(d11.uuid)]["destinationNodeURI"]["identifier"] == str(d1.uuid)
    assert by_origin[str(d111.uuid)]["destinationNodeURI"]["identifier"] == str(d11.uuid)
    assert by_origin[str(d111.uuid)]["sequenceNumber"] == d111.position
    assert by_origin[str(d111.uuid)]["identifier"] == str(child_association_id(d111.uuid))


def test_alignments_are_exact_match_associations_to_the_external_uri(version, package):
    item = CompetencyItem.objects.get(version=version, code="D1.X")
    matches = [a for a in package["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    mine = [a for a in matches if a["originNodeURI"]["identifier"] == str(item.uuid)]
    assert [a["destinationNodeURI"]["uri"] for a in mine] == item.alignments
    assert mine[1]["identifier"] == str(alignment_association_id(item.uuid, 1))


def test_scale_is_one_rubric_whose_levels_are_the_scale(version, package):
    (rubric,) = package["CFRubrics"]
    assert rubric["identifier"] == str(rubric_id(version.uuid))
    (criterion,) = rubric["CFRubricCriteria"]
    levels = criterion["CFRubricCriterionLevels"]
    assert [lv["quality"] for lv in levels] == ["Not yet", "Developing", "Proficient", "Expert, mentor"]
    assert [lv["position"] for lv in levels] == [0, 1, 2, 3]
    flags = [lv["extensions"][0]["capdev"]["proficiencyThreshold"] for lv in levels]
    assert flags == [False, False, True, False]


def test_export_reads_a_fixed_number_of_queries(cast):
    small = build_sample_version(cast.implementer, domains=2, competencies=2, indicators=1, title="Small")
    large = build_sample_version(cast.implementer, domains=5, competencies=5, indicators=7, title="Large")
    counts = []
    for version in (small, large):
        fresh = FrameworkVersion.objects.get(pk=version.pk)
        with CaptureQueriesContext(connection) as ctx:
            export_case_package(fresh)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 4


# --- import ---------------------------------------------------------------------------------------


def test_round_trip_gives_the_same_framework(cast, version, package):
    imported = import_case_package(encode(package), actor=cast.staff, owner=cast.org_b)
    assert normalised(imported) == normalised(version)


def test_package_of_a_known_version_becomes_the_next_draft_keeping_lineage(cast, version, package):
    imported = import_case_package(encode(package), actor=cast.staff, owner=cast.org_b)
    assert imported.framework_id == version.framework_id
    assert imported.framework.owner == cast.implementer  # a new version keeps the framework's owner
    assert (imported.number, imported.status, imported.derived_from_id) == (
        2,
        VersionStatus.DRAFT,
        version.pk,
    )
    assert imported.uuid != version.uuid
    old = {i.code: i for i in version.items.all()}
    for item in imported.items.all():
        assert item.uuid != old[item.code].uuid  # identifiers are taken: new uuids…
        assert item.lineage == old[item.code].lineage  # …but the same lineage, so versions compare


def test_a_second_import_while_a_draft_exists_is_refused(cast, version, package):
    import_case_package(encode(package), actor=cast.staff, owner=cast.org_a)
    exc = rejected(encode(package), cast)
    assert exc.problems[0].location == "CFDocument.identifier"
    assert "already has a draft (version 2)" in exc.problems[0].message


def test_foreign_package_keeps_its_identifiers_and_is_audited(cast, package):
    foreign = copy.deepcopy(package)
    mapping = {}

    def fresh(value: str) -> str:
        return mapping.setdefault(value, str(uuid.uuid4()))

    text = json.dumps(foreign)
    for old in {i["identifier"] for i in foreign["CFItems"]} | {foreign["CFDocument"]["identifier"]}:
        text = text.replace(old, fresh(old))
    foreign = json.loads(text)
    imported = import_case_package(encode(foreign), actor=cast.staff, owner=cast.org_a, filename="x.json")
    assert imported.number == 1 and imported.framework.owner == cast.org_a
    assert str(imported.uuid) == foreign["CFDocument"]["identifier"]
    uuids = {str(u) for u in imported.items.values_list("uuid", flat=True)}
    assert uuids == {i["identifier"] for i in foreign["CFItems"]}
    lineages = {str(u) for u in imported.items.values_list("lineage", flat=True)}
    assert lineages == uuids  # a new item's lineage starts at its identifier
    event = AuditEvent.objects.get(verb="framework_version.imported")
    assert event.actor == cast.staff
    assert event.data["format"] == "case" and event.data["items"] == len(uuids)


def test_minimal_foreign_package_gets_levels_from_depth_and_generated_codes(cast):
    doc_id, a, b, c = (str(uuid.uuid4()) for _ in range(4))
    stamp = "2024-05-01T10:00:00Z"

    def item(ident: str, text: str, **extra: Any) -> dict[str, Any]:
        return {
            "identifier": ident,
            "uri": f"urn:uuid:{ident}",
            "fullStatement": text,
            "lastChangeDateTime": stamp,
            **extra,
        }

    def child(origin: str, dest: str, seq: int) -> dict[str, Any]:
        return {
            "identifier": str(uuid.uuid4()),
            "associationType": "isChildOf",
            "sequenceNumber": seq,
            "uri": "urn:x",
            "originNodeURI": {"title": "o", "identifier": origin, "uri": "urn:o"},
            "destinationNodeURI": {"title": "d", "identifier": dest, "uri": "urn:d"},
            "lastChangeDateTime": stamp,
        }

    package = {
        "CFDocument": {
            "identifier": doc_id,
            "uri": "urn:doc",
            "creator": "Someone else",
            "title": "Foreign framework",
            "language": "eng",
            "lastChangeDateTime": stamp,
        },
        "CFItems": [
            item(a, "Area"),
            item(b, "Skill", conceptKeywords=["Skill"]),
            item(c, "Indicator", humanCodingScheme="X"),
        ],
        "CFAssociations": [
            child(a, doc_id, 1),
            child(b, a, 1),
            child(c, b, 1),
            {
                **child(b, a, 0),
                "associationType": "isRelatedTo",
                "destinationNodeURI": {"title": "d", "identifier": c, "uri": "urn:d"},
            },
        ],
    }
    notices: list[str] = []
    imported = import_case_package(encode(package), actor=cast.staff, owner=cast.org_a, notices=notices)
    items = {i.statement: i for i in imported.items.all()}
    assert (items["Area"].kind, items["Skill"].kind, items["Indicator"].kind) == (
        ItemKind.DOMAIN,
        ItemKind.COMPETENCY,
        ItemKind.INDICATOR,
    )
    assert items["Skill"].nature == Nature.SKILL
    assert (items["Area"].code, items["Skill"].code, items["Indicator"].code) == ("1", "1.1", "X")
    assert imported.languages == ["en"]
    assert any("isRelatedTo" in n for n in notices)


# --- malformed packages ---------------------------------------------------------------------------


def test_invalid_json_is_reported_with_its_line_and_column(cast):
    exc = rejected(b'{\n  "CFDocument": {\n    "title": "x",,\n  }\n}', cast)
    assert report(exc) == [
        "line 3, column 18: not valid JSON: Expecting property name enclosed in double quotes"
    ]


def test_bad_encoding_is_reported_with_its_line(cast, package):
    data = encode(package).replace(b"Trainer", "Tr\u00e4iner".encode("latin-1"), 1)
    exc = rejected(data, cast)
    assert exc.problems[0].location == "line 1"
    assert "not valid UTF-8" in exc.problems[0].message


def test_a_utf8_bom_is_accepted(cast, package):
    imported = import_case_package(b"\xef\xbb\xbf" + encode(package), actor=cast.staff, owner=cast.org_a)
    assert imported.items.count() == len(package["CFItems"])


def test_oversized_file_is_refused_before_parsing(cast):
    exc = rejected(b" " * (MAX_IMPORT_BYTES + 1), cast)
    assert exc.problems[0].message.endswith("the limit is 20 MB.")


def test_schema_violations_name_the_json_path_and_field(cast, package):
    broken = copy.deepcopy(package)
    del broken["CFItems"][12]["fullStatement"]
    broken["CFItems"][3]["colour"] = "blue"
    broken["CFAssociations"][0]["associationType"] = "isCousinOf"
    broken["CFDocument"]["identifier"] = "not-a-uuid"
    exc = rejected(encode(broken), cast)
    lines = report(exc)
    assert "CFItems[12].fullStatement: missing" in lines
    assert "CFItems[3].colour: not a field of this object in CASE 1.1" in lines
    assert "CFAssociations[0].associationType: “isCousinOf” is not a CASE association type" in lines
    assert "CFDocument.identifier: “not-a-uuid” is not a valid uuid" in lines


def test_a_cycle_in_the_tree_is_refused(cast, version, package):
    broken = copy.deepcopy(package)
    d1 = str(CompetencyItem.objects.get(version=version, code="D1").uuid)
    d111 = CompetencyItem.objects.get(version=version, code="D1.1.1")
    for assoc in broken["CFAssociations"]:
        if assoc["associationType"] == "isChildOf" and assoc["originNodeURI"]["identifier"] == d1:
            assoc["destinationNodeURI"]["identifier"] = str(d111.uuid)
    exc = rejected(encode(broken), cast)
    (problem,) = exc.problems
    assert "cycle" in problem.message
    assert {"D1", "D1.1", "D1.1.1"} <= set(problem.message.replace("→", " ").split())
    assert problem.location.startswith("CFAssociations[")


def test_duplicate_identifiers_and_codes_are_refused(cast, package):
    broken = copy.deepcopy(package)
    broken["CFItems"].append(copy.deepcopy(broken["CFItems"][1]))
    broken["CFItems"][2]["humanCodingScheme"] = broken["CFItems"][0]["humanCodingScheme"]
    exc = rejected(encode(broken), cast)
    last = len(broken["CFItems"]) - 1
    assert (
        f"CFItems[{last}]: duplicate identifier “{broken['CFItems'][1]['identifier']}” (first at CFItems[1])"
        in report(exc)
    )
    code = broken["CFItems"][0]["humanCodingScheme"]
    assert (
        f"CFItems[2].humanCodingScheme: duplicate code “{code}” (first at CFItems[0].humanCodingScheme)"
        in report(exc)
    )


def test_associations_to_unknown_items_are_refused(cast, package):
    broken = copy.deepcopy(package)
    ghost = str(uuid.uuid4())
    child_index = next(
        n for n, a in enumerate(broken["CFAssociations"]) if a["associationType"] == "isChildOf"
    )
    broken["CFAssociations"][child_index]["destinationNodeURI"]["identifier"] = ghost
    match_index = next(
        n for n, a in enumerate(broken["CFAssociations"]) if a["associationType"] == "exactMatchOf"
    )
    broken["CFAssociations"][match_index]["originNodeURI"]["identifier"] = ghost
    exc = rejected(encode(broken), cast)
    assert report(exc) == [
        f"CFAssociations[{child_index}].destinationNodeURI.identifier: no CFItem “{ghost}” in the package",
        f"CFAssociations[{match_index}].originNodeURI.identifier: no CFItem “{ghost}” in the package",
    ]


def test_an_item_with_two_parents_is_refused(cast, package):
    broken = copy.deepcopy(package)
    first = next(a for a in broken["CFAssociations"] if a["associationType"] == "isChildOf")
    broken["CFAssociations"].append({**copy.deepcopy(first), "identifier": str(uuid.uuid4())})
    exc = rejected(encode(broken), cast)
    assert "exactly one parent" in exc.problems[0].message


def test_absurdly_nested_json_is_refused_not_crashed(cast):
    exc = rejected(b"[" * 100_000 + b"]" * 100_000, cast)
    assert report(exc) == ["(document): the JSON is nested too deeply to be a CFPackage"]


def test_a_package_that_is_not_an_object_is_refused(cast):
    assert report(rejected(b"[1, 2]", cast)) == ["(document): a CFPackage is a JSON object"]


# --- the compiled schema agrees with the reference validator -----------------------------------------


def _mutations(package: dict[str, Any]) -> list[dict[str, Any]]:
    """Packages broken in every way the schema can tell, one way each."""
    out = []

    def mutate(fn: Any) -> None:
        broken = copy.deepcopy(package)
        fn(broken)
        out.append(broken)

    mutate(lambda p: p["CFItems"][0].pop("fullStatement"))
    mutate(lambda p: p["CFItems"][0].update(fullStatement=12))
    mutate(lambda p: p["CFItems"][1].update(extra="x"))
    mutate(lambda p: p["CFItems"][2].update(identifier="1234"))
    mutate(lambda p: p["CFItems"][2].update(lastChangeDateTime="2024-01-01"))
    mutate(lambda p: p["CFItems"][2].update(statusStartDate="2024-02-30"))
    mutate(lambda p: p["CFItems"][3].update(conceptKeywords="skill"))
    mutate(lambda p: p["CFItems"][3].update(conceptKeywords=["skill", 3]))
    mutate(lambda p: p["CFAssociations"][0].update(associationType="ext:"))
    mutate(lambda p: p["CFAssociations"][0].update(associationType="ext:sameAs"))  # valid
    mutate(lambda p: p["CFAssociations"][0].update(sequenceNumber=1.5))
    mutate(lambda p: p["CFAssociations"][0].update(sequenceNumber=True))
    mutate(lambda p: p["CFAssociations"][1]["destinationNodeURI"].update(targetType="nope"))
    mutate(lambda p: p["CFAssociations"][1]["destinationNodeURI"].pop("uri"))
    mutate(lambda p: p["CFDocument"].update(caseVersion="1.0"))
    mutate(lambda p: p["CFDocument"].update(subject="not a list"))
    mutate(lambda p: p.update(CFItems={}))
    mutate(lambda p: p.update(Unknown=[]))
    mutate(lambda p: p.pop("CFDocument"))
    mutate(
        lambda p: p["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][0].update(score="high")
    )
    mutate(
        lambda p: p["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][1].update(extensions={})
    )
    mutate(lambda p: p["CFDocument"]["licenseURI"].update(identifier="x"))
    return out


def test_the_compiled_schema_finds_exactly_what_the_reference_validator_finds(package):
    compiled = package_schema()
    assert compiled.errors(package) == []
    cases = [*_mutations(package), [], "text", {"CFDocument": None}]
    invalid = 0
    for broken in cases:
        reference = {(tuple(e.absolute_path), e.validator) for e in official_validator().iter_errors(broken)}
        ours = {(e.path, e.keyword) for e in compiled.errors(broken)}
        assert ours == reference, json.dumps(broken)[:200]
        invalid += bool(reference)
    assert invalid == len(cases) - 1  # all but the one valid extension type


def test_the_compiled_schema_refuses_keywords_it_does_not_implement():
    from capdev.competencies.exchange.schema import CompiledSchema

    with pytest.raises(ValueError, match="not supported"):
        CompiledSchema({"type": "object", "minProperties": 1})
