"""Template helpers of the delivery pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch

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
    """ "09:00–12:30", the session's wall-clock times."""
    return f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
