"""Bulk import of participants: reading CSV and XLSX (in four languages), matching people without
ever duplicating one, every kind of error by row and column, all-or-nothing, capacity, the limits,
hostile files (XML bomb, XXE, a program, not a spreadsheet), and the error report."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.cohorts import services
from capdev.cohorts.models import Enrolment, ImportStatus, ParticipantImport
from capdev.cohorts.services.import_files import error_report, template_csv, template_xlsx
from capdev.cohorts.testing import enrol, make_person
from capdev.core.errors import DomainError
from capdev.people.models import Person, PersonLanguage

HEADER = ["First name", "Last name", "E-mail", "Sex", "Nationality", "Organisation", "Position", "Languages"]


def csv_file(
    rows: list[list[str]],
    *,
    header: list[str] = HEADER,
    name: str = "people.csv",
    delimiter: str = ",",
    bom: bool = False,
) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_file(
    rows: list[list[Any]], header: list[str] = HEADER, name: str = "people.xlsx"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, header))


def rewrite_sheet(data: bytes, transform: Any) -> bytes:
    """The same workbook with xl/worksheets/sheet1.xml rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = transform(content)
            target.writestr(info.filename, content)
    return out.getvalue()


@pytest.fixture
def run(world: Any) -> Any:
    world.run_a.capacity = 10
    world.run_a.save()
    return world.run_a


def check(run: Any, upload: Any, actor: Any) -> ParticipantImport:
    return services.check_import(run, upload, actor=actor)


def errors_of(record: ParticipantImport) -> list[tuple[Any, str]]:
    return [(e["row"], e["column"]) for e in record.errors]


def test_a_clean_file_is_previewed_then_imported(cast, run, media):
    known = make_person("Rita", "Alves", cast.org_a, email="rita@dpu.example")
    by_name = make_person("Rui", "Dias", cast.org_a)
    rows = [
        ["Ana", "Costa", "Ana.Costa@DPU.example", "F", "BR", "DPU", "Defender", "pt:native; en:B2"],
        ["Rita", "Alvés", "RITA@dpu.example", "F", "", "DPU", "", ""],  # matched by e-mail
        [
            "rui",
            "DIAS",
            "",
            "M",
            "",
            "Defensoria Pública da União",
            "",
            "",
        ],  # matched by name in the organisation
        ["Paula", "Santos", "paula@dpu.example", "F", "Brazil", "DPU", "", ""],  # already enrolled
        ["Carlos", "Mendes", "", "homem", "BRA", "dpu", "", ""],
    ]
    record = check(run, csv_file(rows), cast.staff)
    assert record.status == ImportStatus.VALIDATED, record.errors
    assert (record.row_count, record.new_people, record.matched_people) == (5, 2, 3)
    assert [r["outcome"] for r in record.rows] == ["new", "match", "match", "enrolled", "new"]
    assert Person.objects.count() == 10 and Enrolment.objects.filter(run=run).count() == 1  # nothing yet

    record = services.apply_import(record, actor=cast.staff)
    assert record.status == ImportStatus.APPLIED and record.applied_at
    ana = Person.objects.get(email="ana.costa@dpu.example")
    assert (ana.sex, ana.nationality_id, ana.organisation_id, ana.position) == (
        "F",
        "BR",
        cast.org_a.pk,
        "Defender",
    )
    assert set(PersonLanguage.objects.filter(person=ana).values_list("language", "level")) == {
        ("pt", "native"),
        ("en", "B2"),
    }
    assert Person.objects.get(last_name="Mendes").sex == "M"
    enrolled = set(Enrolment.objects.filter(run=run).active().values_list("person_id", flat=True))
    assert {known.pk, by_name.pk, ana.pk, cast.participant.person.pk} <= enrolled and len(enrolled) == 5
    assert Person.objects.filter(first_name__iexact="Rita").count() == 1  # never a duplicate
    with pytest.raises(DomainError):
        services.apply_import(record, actor=cast.staff)  # once only


def test_french_headers_semicolons_and_a_bom_are_read(cast, run, media):
    header = ["Prénom", "Nom", "Courriel", "Sexe", "Nationalité", "Organisation", "Poste", "Langues"]
    record = check(
        run,
        csv_file(
            [["Ana", "Costa", "", "femme", "Brésil", "DPU", "", "fr:B1"]],
            header=header,
            delimiter=";",
            bom=True,
        ),
        cast.staff,
    )
    assert record.status == ImportStatus.VALIDATED, record.errors
    assert record.new_people == 1


@pytest.mark.parametrize("language", ["es", "pt", "en"])
def test_xlsx_files_in_each_template_language_are_read(cast, run, media, language):
    from capdev.cohorts.services.import_files import TEMPLATE_HEADERS

    upload = xlsx_file(
        [["Ana", "Costa", None, "F", "BR", "DPU", "Defensora", "pt:C2"], [None] * 8],
        header=TEMPLATE_HEADERS[language],
    )
    record = check(run, upload, cast.staff)
    assert record.status == ImportStatus.VALIDATED, record.errors
    assert record.row_count == 1


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["Ana", "Costa", "not-an-email", "F", "", "DPU", "", ""], "email", "not a valid e-mail"),
        (
            ["Ana", "Costa", "", "F", "", "Ministry of Nowhere", "", ""],
            "organisation",
            "Unknown organisation",
        ),
        (["Ana", "Costa", "", "F", "Atlantis", "DPU", "", ""], "nationality", "Unknown country"),
        (["Ana", "Costa", "", "Q", "", "DPU", "", ""], "sex", "F, M or X"),
        (["Ana", "Costa", "", "", "", "DPU", "", ""], "sex", "not known yet"),
        (["", "Costa", "", "F", "", "DPU", "", ""], "first_name", "first name"),
        (["Ana", "Costa", "", "F", "", "", "", ""], "organisation", "Give the organisation"),
        (["Ana", "Costa", "", "F", "", "DPU", "", "portuguese"], "languages", "pt:C2"),
    ],
)
def test_each_bad_value_is_reported_by_row_and_column_and_nothing_is_written(
    cast, run, media, row, column, message
):
    people = Person.objects.count()
    record = check(run, csv_file([["Rui", "Dias", "", "M", "", "DPU", "", ""], row]), cast.staff)
    assert record.status == ImportStatus.FAILED
    assert (3, column) in errors_of(record)
    assert any(message in e["message"] for e in record.errors)
    assert record.rows == []
    with pytest.raises(DomainError):
        services.apply_import(record, actor=cast.staff)
    assert Person.objects.count() == people
    assert Enrolment.objects.filter(run=run).count() == 1


def test_organisations_are_those_the_user_may_see(cast, run, media):
    from capdev.cohorts.services.imports import plan_rows

    table = [HEADER, ["Ana", "Costa", "", "F", "", "DGME", "", ""]]
    _plan, errors = plan_rows(run, table, cast.focal)  # a focal point of DPU does not see DGME
    assert [(e.row, e.column) for e in errors] == [(2, "organisation")]
    _plan, errors = plan_rows(run, table, cast.staff)
    assert errors == []


def test_the_same_person_twice_in_the_file_is_an_error(cast, run, media):
    rows = [
        ["Ana", "Costa", "ana@dpu.example", "F", "", "DPU", "", ""],
        ["Anna", "Costa", "ANA@dpu.example", "F", "", "DPU", "", ""],
        ["Rui", "Dias", "", "M", "", "DPU", "", ""],
        ["Rui", "Dias", "", "M", "", "DPU", "", ""],
    ]
    record = check(run, csv_file(rows), cast.staff)
    assert errors_of(record) == [(3, "email"), (5, "last_name")]
    assert "row 2" in record.errors[0]["message"] and "row 4" in record.errors[1]["message"]


def test_a_known_person_listed_twice_is_an_error(cast, run, media):
    make_person("Rita", "Alves", cast.org_a, email="rita@dpu.example")
    rows = [
        ["Rita", "Alves", "rita@dpu.example", "F", "", "DPU", "", ""],
        ["Rita", "Alves", "", "F", "", "DPU", "", ""],
    ]
    record = check(run, csv_file(rows), cast.staff)
    assert errors_of(record) == [(3, "last_name")]


def test_an_ambiguous_match_is_an_error_naming_the_row(cast, run, media):
    make_person("Rui", "Dias", cast.org_a)
    make_person("Rui", "Dias", cast.org_a)
    record = check(
        run,
        csv_file([["Ana", "Costa", "", "F", "", "DPU", "", ""], ["Rui", "Dias", "", "M", "", "DPU", "", ""]]),
        cast.staff,
    )
    assert errors_of(record) == [(3, "last_name")]
    assert "2 people named Rui Dias" in record.errors[0]["message"]


def test_more_people_than_free_seats_is_refused(cast, world, media):
    rows = [[f"P{i}", "Costa", "", "F", "", "DPU", "", ""] for i in range(3)]  # run A: 3 seats, 1 taken
    record = check(world.run_a, csv_file(rows), cast.staff)
    assert record.status == ImportStatus.FAILED
    assert errors_of(record) == [(None, "")]
    assert "only 2 of the run's 3 seats are free" in record.errors[0]["message"]


def test_header_problems(cast, run, media):
    record = check(run, csv_file([["Ana", "Costa"]], header=["First name", "Surname", "Emial"]), cast.staff)
    assert errors_of(record) == [(1, "Emial"), (1, "organisation")]


def test_a_file_changed_since_the_check_is_refused_at_import(cast, run, media):
    record = check(run, csv_file([["Ana", "Costa", "ana@dpu.example", "F", "", "DPU", "", ""]]), cast.staff)
    make_person("Ana", "Costa", cast.org_b, email="ana@dpu.example")
    with pytest.raises(DomainError) as error:
        services.apply_import(record, actor=cast.staff)
    assert "check the file again" in error.value.message
    assert Person.objects.filter(email="ana@dpu.example").count() == 1


def test_seats_taken_since_the_check_refuse_the_import(cast, world, media):
    record = check(
        world.run_a,
        csv_file([["Ana", "Costa", "", "F", "", "DPU", "", ""], ["Rui", "Dias", "", "M", "", "DPU", "", ""]]),
        cast.staff,
    )
    enrol(world.run_a, cast.person_b)
    with pytest.raises(DomainError) as error:
        services.apply_import(record, actor=cast.staff)
    assert error.value.code == "full"
    assert not Person.objects.filter(last_name="Costa").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.pdf", b"%PDF-1.4", "CSV (.csv) or Excel (.xlsx)"),
        ("people.csv", b"MZ\x90\x00binary", "program"),
        ("people.csv", b"<html><script>alert(1)</script>", "web pages"),
        ("people.csv", "Prénom;Nom\n".encode("latin-1") + b"\xe9\xe9\xe9", "UTF-8"),
        ("people.xlsx", b"First name,Last name\n", "not a Excel"),
        ("people.csv", b"", "empty"),
    ],
)
def test_files_that_are_not_a_csv_or_an_xlsx_are_refused(cast, run, media, name, content, message):
    with pytest.raises(DomainError) as error:
        check(run, SimpleUploadedFile(name, content), cast.staff)
    assert error.value.field == "file"
    assert message in error.value.message
    assert not ParticipantImport.objects.exists()


def test_an_oversized_file_is_refused(cast, run, media):
    big = SimpleUploadedFile("people.csv", b"a,b\n" * (1_400_000))
    with pytest.raises(DomainError) as error:
        check(run, big, cast.staff)
    assert "at most 5 MB" in error.value.message


def test_more_than_5000_rows_are_refused(cast, run, media):
    rows = [[f"P{i}", "Costa", "", "F", "", "DPU", "", ""] for i in range(5001)]
    with pytest.raises(DomainError) as error:
        check(run, csv_file(rows), cast.staff)
    assert "more than 5,000 rows" in error.value.message


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
"""


@pytest.mark.parametrize("prolog", [BOMB, XXE], ids=["billion-laughs", "xxe"])
def test_xlsx_with_xml_entities_is_refused(cast, run, media, prolog):
    def transform(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return prolog + body.replace(b"<v>", b"<v>&lol3;" if prolog is BOMB else b"<v>&xxe;", 1)

    upload = SimpleUploadedFile(
        "people.xlsx", rewrite_sheet(xlsx_bytes([["Ana", "Costa", "", "F", "", "DPU", "", ""]]), transform)
    )
    with pytest.raises(DomainError) as error:
        check(run, upload, cast.staff)
    assert "XML" in error.value.message
    assert not ParticipantImport.objects.exists()


def test_openpyxl_parses_with_defusedxml(cast, run, media):
    """Even past our own check (a DOCTYPE beyond the first 4 KB), openpyxl refuses entities."""
    from capdev.cohorts.services.import_files import read_rows

    def transform(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        return b'<?xml version="1.0"?>' + b"<!--" + b"x" * 5000 + b"-->" + XXE.split(b"?>", 1)[1] + body

    data = rewrite_sheet(xlsx_bytes([["Ana", "Costa", "", "F", "", "DPU", "", ""]]), transform)
    with pytest.raises(DomainError) as error:
        read_rows("people.xlsx", io.BytesIO(data), "xlsx")
    assert "forbidden XML" in error.value.message


def test_an_xlsx_zip_bomb_is_refused(cast, run, media):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(DomainError) as error:
        check(run, SimpleUploadedFile("people.xlsx", out.getvalue()), cast.staff)
    assert "zip bomb" in error.value.message


def test_the_error_report_lists_row_column_value_message_and_defuses_formulas(cast, run, media):
    record = check(
        run, csv_file([["Ana", "Costa", "=cmd|' /C calc'!A0", "F", "", "DPU", "", ""]]), cast.staff
    )
    report = list(csv.reader(io.StringIO(error_report(record))))
    assert report[0] == ["row", "column", "value", "message"]
    assert report[1][:2] == ["2", "email"]
    assert report[1][2].startswith("'=")


def test_checking_reads_a_constant_number_of_queries(cast, run, media):
    from capdev.cohorts.services.imports import plan_rows

    def table(n: int) -> list[list[str]]:
        return [HEADER] + [
            [f"P{i}", f"Costa{i}", f"p{i}@dpu.example", "F", "BR", "DPU", "", "pt:B2"] for i in range(n)
        ]

    plan_rows(run, table(1), cast.staff)  # warm the per-user caches (roles, organisation scope)
    with CaptureQueriesContext(connection) as small:
        plan_rows(run, table(5), cast.staff)
    with CaptureQueriesContext(connection) as large:
        plan_rows(run, table(200), cast.staff)
    assert len(large) == len(small)


def test_discarding_deletes_the_stored_file(cast, run, media, django_capture_on_commit_callbacks):
    record = check(run, csv_file([["Ana", "Costa", "", "F", "", "DPU", "", ""]]), cast.staff)
    stored = media / record.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.discard_import(record, actor=cast.staff)
    record.refresh_from_db()
    assert record.status == ImportStatus.DISCARDED and not record.file
    assert not stored.exists()


def test_the_templates_are_read_back_by_the_importer(cast, run, media):
    for language in ("en", "fr", "es", "pt"):
        upload = SimpleUploadedFile("t.csv", template_csv(language).encode("utf-8"))
        assert check(run, upload, cast.staff).status == ImportStatus.VALIDATED
        upload = SimpleUploadedFile("t.xlsx", template_xlsx(language))
        assert check(run, upload, cast.staff).status == ImportStatus.VALIDATED
