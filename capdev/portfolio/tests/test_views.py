"""The dashboard page (charts with data tables, filters, htmx) and the CSV/XLSX exports."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from capdev.portfolio.exports import _cell, sheet_title


def test_dashboard_shows_charts_with_data_tables(cast, portfolio):
    page = cast.client("staff").get("/portfolio/").content.decode()
    assert page.count("<figure") == 12
    assert page.count("<details") == 12
    assert '<figcaption class="h6 mb-0" id="requests-by-status-title">Requests by status</figcaption>' in page
    assert (
        'role="img" aria-label="Requests by status. Received: 1; Submitted to the steering committee: 1;'
        in page
    )
    assert '<caption class="visually-hidden">Actions by phase</caption>' in page
    assert "/portfolio/export.csv?table=actions-by-phase" in page
    assert "The whole programme." in page


def test_widths_are_css_numbers_in_every_language(cast, portfolio):
    client = cast.client("staff")
    client.cookies["capdev_language"] = "fr"
    page = client.get("/portfolio/").content.decode()
    assert 'style="width: 100.00%"' in page
    assert "width: 100,00%" not in page


def test_focal_dashboard_names_the_scope(cast, portfolio):
    page = cast.client("focal").get("/portfolio/").content.decode()
    assert "The requests and Actions of DPU." in page
    assert "Kenya" not in page and ">CR<" not in page


def test_htmx_gets_only_the_figures(cast, portfolio):
    response = cast.client("staff").get("/portfolio/", {"region": "africa"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"Figures for the filters chosen." in response.content
    assert b"export.xlsx?region=africa" in response.content


def test_invalid_filters_are_ignored_and_a_reversed_range_is_swapped(cast, portfolio):
    client = cast.client("staff")
    page = client.get("/portfolio/", {"year_from": "abc", "region": "mars"}).content.decode()
    assert "All years, regions, thematic areas and types." in page  # nothing valid was chosen
    swapped = client.get("/portfolio/", {"year_from": "2022", "year_to": "2021"}, HTTP_HX_REQUEST="true")
    straight = client.get("/portfolio/", {"year_from": "2021", "year_to": "2022"}, HTTP_HX_REQUEST="true")
    assert swapped.context["filters"] == straight.context["filters"]
    assert swapped.context["filters"].year_from == 2021


def test_csv_export_has_a_bom_a_header_rows_and_a_total(cast, portfolio):
    response = cast.client("staff").get("/portfolio/export.csv", {"table": "actions-by-region"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="capdev-portfolio-actions-by-region-'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Region", "Actions"],
        ["Africa", "1"],
        ["Latin America & Caribbean", "3"],
        ["Total", "4"],
    ]


def test_csv_export_follows_the_filters_and_the_scope(cast, portfolio):
    response = cast.client("focal").get(
        "/portfolio/export.csv", {"table": "participants-by-year", "year_from": "2021"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Year", "Women", "Men", "Other / not stated", "Total"],
        ["2021", "5", "3", "1", "9"],
        ["2022", "7", "5", "0", "12"],
        ["Total", "12", "8", "1", "21"],
    ]


def test_xlsx_export_has_one_sheet_per_table_bold_headers_and_numbers(cast, portfolio):
    response = cast.client("staff").get("/portfolio/export.xlsx", {"region": "latin_america"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "About"
    assert len(wb.sheetnames) == 13
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True)}
    assert about["Region"] == "Latin America & Caribbean"
    ws = wb["Participants reached, by year a"]
    assert [c.value for c in ws[1]] == ["Year", "Women", "Men", "Other / not stated", "Total"]
    assert all(c.font.bold for c in ws[1])
    assert [c.value for c in ws[2]] == [2018, 2, 2, 0, 4]
    assert isinstance(ws["B2"].value, int)
    last = [c.value for c in ws[ws.max_row]]
    assert last == ["Total", 38, 24, 2, 64]
    assert ws[ws.max_row][0].font.bold
    phases = wb["Actions by phase"]
    assert [[c.value for c in row] for row in phases.iter_rows()] == [
        ["Phase", "Actions"],
        ["Design", 1],
        ["Implementation", 1],
        ["Completed", 1],
        ["Total", 3],
    ]


def test_xlsx_export_of_one_table(cast, portfolio):
    response = cast.client("steering").get("/portfolio/export.xlsx", {"table": "experts-by-nationality"})
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["About", "Experts deployed, by nationalit"]
    ws = wb.worksheets[1]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["Nationality", "Female", "Male", "Other / not stated", "Total"],
        ["Germany", 0, 1, 0, 1],
        ["Malta", 1, 0, 0, 1],
        ["Total", 1, 1, 0, 2],
    ]


def test_exports_are_translated(cast, portfolio):
    client = cast.client("staff")
    client.cookies["capdev_language"] = "fr"
    response = client.get("/portfolio/export.csv", {"table": "requests-by-status"})
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header != "Status,Requests"


def test_cells_that_look_like_formulas_are_defused():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@x") == "'@x"
    assert _cell(-3) == -3
    assert _cell("Brazil") == "Brazil"


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("Actions: by [phase]?", taken) == "Actions  by  phase"
    first = sheet_title("x" * 40, taken)
    second = sheet_title("x" * 40, taken)
    assert len(first) == len(second) == 31 and first != second
