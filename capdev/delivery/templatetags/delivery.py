"""Template helpers of the delivery pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html

register = template.Library()


@register.filter
def url_or_blank(obj: Any) -> str:
    """`obj.get_absolute_url()`, or "" when its page does not exist in this installation (the
    run and enrolment pages belong to the cohorts app)."""
    try:
        return str(obj.get_absolute_url())
    except (NoReverseMatch, AttributeError):
        return ""


@register.filter
def times(session: Any) -> str:
    """The session's wall-clock times, "09:00–12:30", kept left to right inside Arabic text
    (the bidirectional algorithm would otherwise show "12:30–09:00")."""
    return format_html(
        '<span dir="ltr" class="text-nowrap">{}–{}</span>',
        session.start_time.strftime("%H:%M"),
        session.end_time.strftime("%H:%M"),
    )


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
