"""Template helpers used across capdev's pages."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

from capdev.core.permissions import can as can_fn

register = template.Library()


@register.filter
def add_class(field: forms.BoundField, css: str) -> Any:
    """Render a bound field with an extra CSS class (keeps its other attributes)."""
    widget = field.field.widget
    existing = widget.attrs.get("class", "")
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple) and css == "form-control":
        css = "form-select"
    attrs: dict[str, str | bool] = {"class": f"{existing} {css}".strip()}
    if field.errors:
        attrs["class"] = f"{attrs['class']} is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_errors"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def can(context: template.Context, perm: str, obj: Any = None) -> bool:
    """`{% can "people.change" person as allowed %}`."""
    return can_fn(context["request"].user, perm, obj)


@register.filter
def percent(part: Any, whole: Any) -> int:
    try:
        return round(100 * float(part) / float(whole)) if whole else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def audit_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and "repr" in value:
        return str(value["repr"])
    if isinstance(value, dict) and value.get("redacted"):
        return _("(redacted)")
    if isinstance(value, list):
        return ", ".join(audit_value(v) for v in value) or "—"
    return str(value)
