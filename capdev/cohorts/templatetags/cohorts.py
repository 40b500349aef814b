"""Template helpers of the cohorts pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def render_panel(context: template.Context, panel: Any) -> SafeString:
    """Render a panel registered by another app (capdev.cohorts.panels) with its own context plus
    the page's `run` / `enrolment` and `request`."""
    values = {
        key: context.get(key) for key in ("run", "enrolment", "request", "user", "perms") if key in context
    }
    values.update(panel.context)
    values["panel"] = panel
    return get_template(panel.template).render(values, context.get("request"))  # type: ignore[return-value]


@register.filter
def fit_badge(value: Any) -> str:
    """ "met", "missed" or "na" for a profile-fit value."""
    if value is True:
        return "met"
    if value is False:
        return "missed"
    return "na"


@register.filter
def get_fit(fit: Any, key: str) -> Any:
    """The value of one criterion in a profile fit (None when not applicable)."""
    return fit.get(key) if isinstance(fit, dict) else None


@register.filter
def column_label(code: str) -> Any:
    """The name of an import column ("email" → "E-mail"), or the header as written in the file."""
    from capdev.cohorts.services.import_files import COLUMN_LABELS

    return COLUMN_LABELS.get(code, code)
