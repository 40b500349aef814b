"""CSV and XLSX exports of the dashboard's tables (the same rows as the charts).

CSV: one table, UTF-8 with a byte-order mark so that Excel reads accents and Arabic correctly.
XLSX (openpyxl): one sheet per table — every table, or the one asked for — header row bold,
numbers stored as numbers, a totals row, and a first sheet saying what the figures cover.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from capdev.portfolio.tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is defused."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell(v) for v in row])
    if table.total and table.rows:
        writer.writerow([_cell(v) for v in table.total])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def tables_xlsx(tables: Iterable[Table], about: list[tuple[str, str]]) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    info = wb.active
    assert info is not None
    info.title = _("About")[:31]
    info.append([_("capdev portfolio"), ""])
    info["A1"].font = bold
    info.append([_("Exported"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    for label, value in about:
        info.append([label, value])
    info.column_dimensions["A"].width = 24
    info.column_dimensions["B"].width = 60
    taken = {info.title.lower()}
    for table in tables:
        ws = wb.create_sheet(sheet_title(table.title, taken))
        ws.append([str(c) for c in table.columns])
        for cell in ws[1]:
            cell.font = bold
        for row in table.rows:
            ws.append([_cell(v) for v in row])
        if table.total and table.rows:
            ws.append([_cell(v) for v in table.total])
            for cell in ws[ws.max_row]:
                cell.font = bold
        ws.freeze_panes = "A2"
        for i, column in enumerate(table.columns, start=1):
            longest = max([len(str(column)), *[len(str(r[i - 1])) for r in table.rows]])
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, longest + 2), 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
