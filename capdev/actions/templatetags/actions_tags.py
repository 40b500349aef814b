"""Template helpers for requests and Actions: amounts in euros, status badges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from capdev.core.escaping import escape

register = template.Library()

REQUEST_BADGES = {
    "received": "text-bg-secondary",
    "analysis": "text-bg-info",
    "submitted": "text-bg-warning",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
    "withdrawn": "text-bg-dark",
}
PHASE_BADGES = {
    "assessment": "phase-assessment",
    "design": "phase-design",
    "implementation": "phase-implementation",
    "handover": "phase-handover",
    "completed": "phase-completed",
}


@register.filter
def eur(value: Any) -> str:
    """ "EUR 723,740.50" (grouping and decimal mark of the active language)."""
    if value in (None, ""):
        return "—"
    return f"EUR {number_format(Decimal(value), 2, force_grouping=True)}"


@register.filter
def amount(value: Any) -> str:
    """An amount without the currency (table cells under a "EUR" heading)."""
    if value in (None, ""):
        return "—"
    return number_format(Decimal(value), 2, force_grouping=True)


@register.filter
def request_badge(status: str) -> str:
    return REQUEST_BADGES.get(status, "text-bg-secondary")


@register.filter
def phase_badge(phase: str) -> str:
    return PHASE_BADGES.get(phase, "text-bg-secondary")


@register.filter
def css_pct(value: Any) -> str:
    """A percentage for a style attribute, with a dot whatever the language ("12.5")."""
    try:
        return f"{float(value):.3f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return "0"


@register.filter
def multiply_pct(total: Any, percent: Any) -> Decimal:
    """`total` × `percent` / 100, rounded to the cent (a funder's share of the budget)."""
    try:
        return (Decimal(total) * Decimal(percent) / 100).quantize(Decimal("0.01"))
    except (TypeError, ValueError, ArithmeticError):
        return Decimal(0)


@register.simple_tag
def match_components(match: Any) -> SafeString:
    """The explained components of a match (matching page and activity detail), written in
    Python: 35 matches × 6 components through a template loop cost a fifth of the page. The same
    markup as the loop: points, then the label for screen readers and the explanation."""
    return mark_safe(  # noqa: S308 - every label and explanation is escaped
        "".join(
            f'<li><span class="{c.css_class}">{c.signed_points}</span><span>'
            f'<span class="visually-hidden">{escape(c.label)}: </span>{escape(c.explanation)}</span></li>'
            for c in match.components
        )
    )
