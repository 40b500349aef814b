"""Form helpers: show DomainError messages on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from capdev.core.errors import DomainError


def add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    field = error.field if error.field and error.field in form.fields else None
    form.add_error(field, error.message)


class BootstrapFormMixin:
    """Adds Bootstrap classes to widgets so templates can render fields generically."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class FastSelect(forms.Select):
    """A <select> rendered in Python in one pass. Django renders each <option> through a template,
    which costs tens of milliseconds for a list of 250 countries; filters render several such
    lists on every page view."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        parts: list[str] = [format_html("<select{}>", flatatt(final))]
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):  # an optgroup
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, label, selected) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every part is built with format_html

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        key = "" if value is None else str(value)
        return format_html(
            '<option value="{}"{}>{}</option>', key, mark_safe(" selected") if key in selected else "", label
        )


def rebuild_filter_fields(filterset: Any) -> None:
    """Drop form fields a FilterSet's filters may carry from the class (django-filter caches a
    filter's field on first use, and deep-copies it into every instance; drf-spectacular builds
    those fields at class level for the API schema). Call after changing a filter's queryset or
    choices per request, so the form uses the request's scope, not a stale one."""
    for flt in filterset.filters.values():
        flt.__dict__.pop("_field", None)
