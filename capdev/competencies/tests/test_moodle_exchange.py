"""Moodle competency framework CSV (tool_lpimportcsv): the real OECD export imports, capdev's export
has Moodle's headers and round-trips losslessly, and every malformed file is rejected with a report
naming the line and column, leaving the database unchanged."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.competencies.exchange import (
    MAX_IMPORT_BYTES,
    ImportRejected,
    export_moodle_csv,
    import_moodle_csv,
)
from capdev.competencies.exchange.moodle import HEADERS, html_to_text, split_marker, with_marker
from capdev.competencies.exchange.samples import (
    build_rich_version,
    build_sample_version,
    normalised,
    row_counts,
)
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ItemKind, Nature, VersionStatus

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "moodle-oecd-example.csv"
HEADER_LINE = ",".join(f'"{h}"' for h in HEADERS)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def rejected(data: bytes, cast: Any) -> ImportRejected:
    before = row_counts()
    with pytest.raises(ImportRejected) as info:
        import_moodle_csv(data, actor=cast.staff, owner=cast.org_a)
    assert row_counts() == before
    return info.value


def report(exc: ImportRejected) -> list[str]:
    return [str(p) for p in exc.problems]


def small_csv(*competency_rows: str, framework: str | None = None) -> bytes:
    framework_row = (
        framework
        or ',FW,"Small framework",,1,"No,Yes","[{""scaleid"":""1""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,"domain,competency"'
    )
    return "\n".join([HEADER_LINE, framework_row, *competency_rows, ""]).encode()


@pytest.fixture
def version(cast: Any) -> FrameworkVersion:
    return build_rich_version(cast.implementer)


# --- the real Moodle file -------------------------------------------------------------------------


@pytest.fixture
def oecd(cast: Any) -> tuple[FrameworkVersion, list[str]]:
    notices: list[str] = []
    version = import_moodle_csv(
        FIXTURE.read_bytes(), actor=cast.staff, owner=cast.org_a, filename=FIXTURE.name, notices=notices
    )
    return version, notices


def test_the_oecd_framework_exported_by_moodle_imports(oecd, cast):
    version, notices = oecd
    assert (version.title, version.number, version.status) == ("OECD", 1, VersionStatus.DRAFT)
    assert version.framework.owner == cast.org_a
    assert version.items.count() == 64
    assert version.description.startswith("The Core Competencies summarise the capabilities")
    assert "• The delivery-related competencies\n• The interpersonal competencies" in version.description
    assert any("Cross-referenced" in n for n in notices)


def test_the_oecd_scale_and_its_configuration_become_the_proficiency_scale(oecd):
    version, _notices = oecd
    levels = list(version.levels.order_by("position").values_list("name", "is_threshold"))
    assert levels == [("Not yet competent", False), ("Competent", True)]


def test_the_oecd_tree_order_and_html_descriptions_are_kept(oecd):
    version, _notices = oecd
    items = {i.code: i for i in version.items.select_related("parent")}
    assert items["level-1"].parent.code == "levels"
    assert items["DR-AT1"].parent.code == "analytical-thinking"
    delivery = sorted(items["delivery"].children.all(), key=lambda i: i.position)
    assert [i.code for i in delivery][:3] == ["analytical-thinking", "acheivement-focus", "drafting-skills"]
    thinking = items["analytical-thinking"]
    assert thinking.statement == "Analytical Thinking"
    assert thinking.notes.startswith(
        "Analytical Thinking is the ability to identify patterns across situations"
    )
    assert "<" not in thinking.notes and "\n" not in thinking.notes  # HTML gone, soft line breaks joined
    assert items["DR-FT-1"].notes == ""  # the description only repeated the short name
    # the taxonomy says "competency" at every depth
    assert {i.kind for i in items.values()} == {ItemKind.COMPETENCY}


# --- export ---------------------------------------------------------------------------------------


def test_export_has_moodles_exact_headers_and_one_framework_row(version):
    table = rows(export_moodle_csv(version))
    fixture_headers = rows(FIXTURE.read_text(encoding="utf-8"))[0]
    assert table[0] == fixture_headers == HEADERS
    framework_rows = [r for r in table[1:] if r[12] == "1"]
    assert len(framework_rows) == 1
    fw = framework_rows[0]
    assert fw[1] == str(version.uuid)
    assert fw[5] == "Not yet,Developing,Proficient,Expert  mentor"  # Moodle scale values cannot hold commas
    config = json.loads(fw[6])
    assert config[3] == {"id": 3, "scaledefault": 1, "proficient": 1}
    assert config[4] == {"id": 4, "scaledefault": 0, "proficient": 1}
    assert fw[13] == "domain,competency,indicator"


def test_export_rows_carry_parents_codes_and_moodle_limits(version):
    table = {r[1]: r for r in rows(export_moodle_csv(version))[2:]}
    assert table["D1.1.1"][0] == "D1.1"
    assert table["D1"][0] == ""
    long = table["D1.X"]
    assert len(long[2]) == 100 and long[2].endswith("…")
    _notes, marker = split_marker(long[3])
    assert marker["kind"] == ItemKind.INDICATOR  # an indicator at the competency depth
    assert marker["nature"] == Nature.SKILL
    assert marker["statement"].startswith("Plans a training session end to end")
    assert table["D1.1.1"][11] == str(CompetencyItem.objects.get(version=version, code="D1.1.1").uuid)
    assert [r[4] for r in table.values()] == ["2"] * len(table)  # plain text descriptions


def test_export_reads_a_fixed_number_of_queries(cast):
    counts = []
    for size in (1, 6):
        version = build_sample_version(cast.implementer, domains=size, competencies=size, title=f"S{size}")
        fresh = FrameworkVersion.objects.get(pk=version.pk)
        with CaptureQueriesContext(connection) as ctx:
            export_moodle_csv(fresh)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 4


# --- round trip -----------------------------------------------------------------------------------


def test_round_trip_gives_the_same_framework(cast, version):
    imported = import_moodle_csv(export_moodle_csv(version).encode(), actor=cast.staff, owner=cast.org_b)
    assert imported.framework_id == version.framework_id and imported.number == 2
    assert normalised(imported) == normalised(version)


def test_round_trip_into_another_capdev_keeps_identifiers(cast, version):
    data = export_moodle_csv(version).encode()
    expected = normalised(version)
    uuids = set(version.items.values_list("uuid", flat=True))
    version.framework.delete()  # as if the file went to another capdev
    imported = import_moodle_csv(data, actor=cast.staff, owner=cast.org_b)
    assert normalised(imported) == expected
    assert set(imported.items.values_list("uuid", flat=True)) == uuids
    assert imported.framework.owner == cast.org_b


def test_round_trip_of_the_oecd_file_is_stable(oecd, cast):
    version, _notices = oecd
    FrameworkVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    again = import_moodle_csv(export_moodle_csv(version).encode(), actor=cast.staff, owner=cast.org_b)
    assert normalised(again)["tree"] == normalised(version)["tree"]
    assert normalised(again)["levels"] == normalised(version)["levels"]


def test_a_scale_without_threshold_is_valid_for_moodle_and_round_trips(cast, version):
    version.levels.update(is_threshold=False)
    version.framework.versions.exclude(pk=version.pk).delete()
    exported = export_moodle_csv(version)
    config = json.loads(rows(exported)[1][6])[1:]
    # Moodle refuses a scale without a default and a proficient value: the top level is both
    assert config[-1] == {"id": 4, "scaledefault": 1, "proficient": 1}
    imported = import_moodle_csv(exported.encode(), actor=cast.staff, owner=cast.org_b)
    assert not imported.levels.filter(is_threshold=True).exists()


# --- text helpers ---------------------------------------------------------------------------------


def test_html_is_converted_to_safe_text():
    html = '<p>One &amp; two<br>three</p><script>alert("x")</script><ul><li>a</li><li>b</li></ul>'
    assert html_to_text(html) == "One & two\nthree\n\n• a\n• b"


@pytest.mark.parametrize(
    "notes", ["", "plain", "two\nlines\n", "ends with\n\n", 'capdev:{"x":1}', "a\ncapdev:{}"]
)
def test_marker_is_the_exact_inverse(notes):
    for data in ({}, {"nature": "skill"}):
        assert split_marker(with_marker(notes, data)) == (notes, data)


# --- malformed files ------------------------------------------------------------------------------


def test_missing_and_unknown_columns_are_named(cast):
    header = HEADER_LINE.replace('"Taxonomy"', '"Taxonomies"')
    exc = rejected(f"{header}\n,FW,F,,1,,,,,,,,1,\n".encode(), cast)
    lines = report(exc)
    assert any(line.startswith("line 1, column “Taxonomies”: unknown column") for line in lines)
    assert "line 1: missing column “Taxonomy”" in lines


def test_bad_encoding_names_the_line(cast):
    data = small_csv(',A,"Comp\xe9tence",,1,,,,0,null,,,,'.replace("\xe9", "\x00")).replace(b"\x00", b"\xe9")
    exc = rejected(data, cast)
    assert exc.problems[0].location == "line 3"
    assert "not valid UTF-8" in exc.problems[0].message


def test_unknown_parent_names_the_line_and_column(cast):
    exc = rejected(small_csv(",A,Alpha,,1,,,,0,null,,,,", "Z,B,Beta,,1,,,,0,null,,,,"), cast)
    assert report(exc) == ["line 4, column “Parent id number”: the parent “Z” is not in the file"]


def test_a_cycle_is_refused(cast):
    exc = rejected(
        small_csv("C,A,Alpha,,1,,,,0,null,,,,", "A,B,Beta,,1,,,,0,null,,,,", "B,C,Gamma,,1,,,,0,null,,,,"),
        cast,
    )
    (problem,) = exc.problems
    assert problem.location == "line 3, column “Parent id number”"
    assert problem.message == "the parents form a cycle: A → C → B → A"


def test_duplicate_id_numbers_are_refused(cast):
    exc = rejected(small_csv(",A,Alpha,,1,,,,0,null,,,,", ",A,Again,,1,,,,0,null,,,,"), cast)
    assert "line 4: duplicate identifier “A” (first at line 3)" in report(exc)
    assert "line 4, column “Id number”: duplicate code “A” (first at line 3, column “Id number”)" in report(
        exc
    )


def test_a_multi_line_description_does_not_shift_line_numbers(cast):
    exc = rejected(
        small_csv(',A,Alpha,"<p>one\ntwo\nthree</p>",1,,,,0,null,,,,', "Z,B,Beta,,1,,,,0,null,,,,"), cast
    )
    assert report(exc) == ["line 6, column “Parent id number”: the parent “Z” is not in the file"]


def test_oversized_file_is_refused(cast):
    exc = rejected(small_csv() + b" " * MAX_IMPORT_BYTES, cast)
    assert exc.problems[0].message.endswith("the limit is 20 MB.")


def test_rows_with_the_wrong_number_of_values_are_refused(cast):
    exc = rejected(small_csv(",A,Alpha,,1"), cast)
    assert report(exc) == ["line 3: 5 values where the header has 14 columns"]


def test_a_file_without_framework_row_is_refused(cast):
    exc = rejected(small_csv(framework=",A,Alpha,,1,,,,0,null,,,,"), cast)
    assert report(exc) == ["column “Is framework”: no framework row: one row must have “Is framework” = 1"]


def test_missing_id_number_and_bad_scale_configuration_are_refused(cast):
    framework = ',FW,F,,1,"No,Yes","not json",,,,,,1,'
    exc = rejected(small_csv(",,Alpha,,7,,,,0,null,,,,", framework=framework), cast)
    lines = report(exc)
    assert any(
        line.startswith("line 2, column “Scale configuration”: not a Moodle scale configuration")
        for line in lines
    )
    assert "line 3, column “Id number”: missing" in lines


def test_an_empty_file_is_refused(cast):
    assert report(rejected(b"", cast)) == ["line 1: the file is empty"]


def test_a_semicolon_separated_file_is_read(cast):
    text = small_csv(",A,Alpha,,1,,,,0,null,,,,").decode()
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows(text))
    semicolons = out.getvalue().encode()
    imported = import_moodle_csv(semicolons, actor=cast.staff, owner=cast.org_a)
    assert list(imported.items.values_list("code", "kind")) == [("A", ItemKind.DOMAIN)]
    assert list(imported.levels.values_list("name", "is_threshold")) == [("No", False), ("Yes", True)]
