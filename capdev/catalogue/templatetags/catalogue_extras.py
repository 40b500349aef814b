"""Template helpers for catalogue pages."""

from __future__ import annotations

from typing import Any

from django import template

from capdev.catalogue.forms import language_name as _language_name
from capdev.catalogue.models import format_number

register = template.Library()

STATUS_CLASSES = {
    "draft": "text-bg-warning",
    "published": "text-bg-success",
    "retired": "text-bg-secondary",
}


@register.filter
def language_name(code: str) -> str:
    """ "ar" → "Arabic" (in the active language)."""
    return _language_name(code)


@register.filter
def language_names(codes: Any) -> str:
    return ", ".join(_language_name(c) for c in (codes or [])) or "—"


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def number(value: Any) -> str:
    """A decimal without trailing zeros (2.00 → 2)."""
    if value is None or value == "":
        return "—"
    return format_number(value)


@register.filter
def filesize(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / 1024 / 1024:.1f} MB"
    if value >= 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value} B"
