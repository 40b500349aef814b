"""Chart and data-table markup of the dashboard, written in Python: a dozen tables of up to a
few hundred cells render in a millisecond or two, where template loops took tens. Every piece
of text goes through `escape`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from capdev.portfolio.tables import Table

register = template.Library()


def _formatter() -> Callable[[Any], str]:
    """Integers grouped with the active language's thousand separator (as `intcomma` does,
    without its per-call locale lookups); anything else as text."""
    separator = str(get_format("THOUSAND_SEPARATOR"))

    def number(value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", separator)
        return str(escape(value))

    return number


@register.simple_tag
def chart_bars(table: Table) -> SafeString:
    """The bars of `table`'s chart: label, track with one segment per series, total."""
    number = _formatter()
    out = []
    for row in table.chart_rows:
        segments = "".join(
            f'<span class="chart-bar {s["css"]}" style="width: {s["width"]}%" '
            f'title="{escape(s["label"])}: {number(s["value"])}"></span>'
            for s in row["segments"]
        )
        out.append(
            f'<div class="chart-row"><span class="chart-label">{escape(row["label"])}</span>'
            f'<span class="chart-track">{segments}</span>'
            f'<span class="chart-value">{number(row["total"])}</span></div>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped or a formatted number


@register.simple_tag
def data_table(table: Table) -> SafeString:
    """`table` as an HTML table: a caption, column headers, row headers, a totals footer."""
    number = _formatter() if table.chart else (lambda v: str(escape(v)))
    end = ' class="text-end"'
    head = "".join(
        f'<th scope="col"{"" if i == 0 else end}>{escape(c)}</th>' for i, c in enumerate(table.columns)
    )
    rows = "".join(
        f'<tr><th scope="row" class="fw-normal">{escape(row[0])}</th>'
        + "".join(f'<td class="text-end">{number(v)}</td>' for v in row[1:])
        + "</tr>"
        for row in table.rows
    )
    foot = ""
    if table.total:
        total = _formatter()
        foot = (
            f'<tfoot><tr><th scope="row">{escape(table.total[0])}</th>'
            + "".join(f'<td class="text-end fw-semibold">{total(v)}</td>' for v in table.total[1:])
            + "</tr></tfoot>"
        )
    return mark_safe(  # noqa: S308 - every value is escaped or a formatted number
        f'<table class="table table-sm mb-0 data-table"><caption class="visually-hidden">'
        f"{escape(table.title)}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>{foot}</table>"
    )
