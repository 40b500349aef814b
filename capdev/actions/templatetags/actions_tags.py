"""Template helpers for requests and Actions: amounts in euros, status badges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

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
