"""Form helpers: show DomainError messages on the field they name."""

from __future__ import annotations

from django import forms

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
