"""Template helpers of the delivery pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def status_radios(
    row: dict[str, Any], statuses: list[tuple[str, Any, str]], attended: list[str], locked: Any
) -> str:
    """The radio group of one participant on the attendance sheet (rendered in one pass: a class
    of 40 has 160 of them). Present and late are disabled for a participant the gate holds back;
    everything is disabled while attendance cannot be taken."""
    pk = row["enrolment"].pk
    parts = []
    for value, label, style in statuses:
        disabled = bool(locked) or (row["blocked"] and value in attended)
        parts.append(
            format_html(
                '<input type="radio" class="btn-check" name="status-{pk}" id="status-{pk}-{value}" value="{value}" '
                'autocomplete="off"{checked}{disabled}>'
                '<label class="btn btn-sm btn-outline-{style}" for="status-{pk}-{value}">{label}</label>',
                pk=pk,
                value=value,
                checked=mark_safe(" checked") if row["status"] == value else "",
                disabled=mark_safe(" disabled") if disabled else "",
                style=style,
                label=label,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
