"""Template helpers of the knowledge base (and the portfolio's filter form)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms, template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from capdev.core.escaping import escape

register = template.Library()


@register.simple_tag
def select_field(field: forms.BoundField, css: str = "form-select form-select-sm") -> SafeString:
    """A filter's <select>, written in Python: a list of 200 countries renders in well under a
    millisecond, where the widget templates took tens. Same markup as the widget's (id, name,
    selected option, aria-invalid on errors)."""
    value = field.value()
    chosen = (
        {str(v) for v in value} if isinstance(value, list | tuple) else {"" if value is None else str(value)}
    )
    multiple = isinstance(field.field.widget, forms.SelectMultiple)
    options = []
    choices: Any = field.field.choices  # type: ignore[attr-defined]
    for option_value, label in choices:
        key = "" if option_value is None else str(option_value)
        selected = " selected" if key in chosen else ""
        options.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
    invalid = ' aria-invalid="true"' if field.errors else ""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        f'<select name="{escape(field.html_name)}" id="{escape(field.auto_id)}" class="{escape(css)}"'
        f"{' multiple' if multiple else ''}{invalid}>{''.join(options)}</select>"
    )


@register.simple_tag
def datalist_options(names: list[str]) -> SafeString:
    """The <option>s of a datalist of up to 500 names, written in Python (a template loop over
    500 names took a few milliseconds of every list page)."""
    return mark_safe("".join(f'<option value="{escape(name)}">' for name in names))  # noqa: S308 - escaped


@register.simple_tag
def lesson_links(lesson: Any) -> SafeString:
    """The chips of a lesson card, written in Python: thematic areas, countries, the Actions the
    reader may see, and tags (each a link to the list of its lessons). Set by `add_card_links`;
    the same markup as a template loop, which cost a quarter of the search page for 25 cards."""
    parts: list[str] = []
    if lesson.card_areas:
        parts.append(f'<span class="visually-hidden">{escape(_("Thematic areas"))}:</span>')
        parts.extend(f'<span class="chip chip-area">{escape(name)}</span>' for name in lesson.card_areas)
    parts.extend(f'<span class="chip">{escape(name)}</span>' for name in lesson.card_countries)
    parts.extend(
        f'<a class="chip chip-action" href="{escape(action.get_absolute_url())}"><bdi>{escape(action.name)}</bdi></a>'
        for action in lesson.shown_actions
    )
    if lesson.card_tags:
        parts.append(f'<span class="visually-hidden">{escape(_("Tags"))}:</span>')
        parts.extend(
            f'<a class="chip chip-tag" href="?tag={escape(quote(name, safe="/"))}"><bdi>#{escape(name)}</bdi></a>'
            for name in lesson.card_tags
        )
    return mark_safe("".join(parts))  # noqa: S308 - every name and address is escaped


@register.filter
def text_dir(language: str) -> str:
    """The writing direction of content in `language` (a lesson's), for its `dir` attribute."""
    return "rtl" if (language or "").split("-")[0] in ("ar", "fa", "he", "ur") else "ltr"
