"""The rich text of lessons: sanitised with nh3 when it is saved, images placed when it is shown.

What the text may contain (anything else is removed, the text of unknown tags kept):

- headings h2–h6 (the page's h1 is the lesson's title), paragraphs, line breaks, rules,
  bulleted, numbered and description lists, bold/italic/underline, quotes, code, sub/superscript;
- links (`https`, `http`, `mailto` or relative), always with rel="noopener noreferrer";
- tables with captions and header cells (`scope`, `colspan`, `rowspan` kept);
- images of the lesson itself only, written `<img src="image:N">` where N is the number of one
  of the lesson's uploaded images; any other image (another site, another lesson, data: URLs)
  is dropped.

Scripts, styles, iframes, objects, SVG and MathML are removed with their content; event
handlers (`onerror`...), `style` and `class` attributes and `javascript:` URLs never survive.
The stored text is the sanitised one; rendering adds each image's address, alternative text,
width and height and `loading="lazy"`, and wraps tables so they scroll on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import nh3
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "blockquote",
    "code",
    "pre",
    "sub",
    "sup",
    "a",
    "img",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Removed together with everything inside them.
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "svg",
    "math",
    "noscript",
    "template",
    "textarea",
    "select",
    "button",
    "form",
    "head",
    "title",
}
URL_SCHEMES = {"https", "http", "mailto", "image"}
MAX_BODY_LENGTH = 200_000

IMAGE_SRC = re.compile(r"image:(\d{1,5})")
# After sanitising, the only attribute an <img> can carry is src="image:N" (see _attribute_filter),
# so these patterns match the serialiser's output exactly.
PLACED_IMAGE = re.compile(r'<img src="image:(\d{1,5})">')
BARE_IMAGE = re.compile(r"<img>")


def _attribute_filter(numbers: set[int]) -> Any:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            match = IMAGE_SRC.fullmatch(value.strip())
            return f"image:{int(match.group(1))}" if match and int(match.group(1)) in numbers else None
        if tag in ("th", "td") and attribute in ("colspan", "rowspan"):
            return value if value.isdigit() and 0 < int(value) <= 100 else None
        if tag == "th" and attribute == "scope":
            return value if value in ("row", "col", "rowgroup", "colgroup") else None
        if tag == "ol" and attribute == "start":
            return value if value.isdigit() else None
        return value

    return keep


def clean_body(html: str, image_numbers: Iterable[int] = ()) -> str:
    """The sanitised form of a lesson's text (what is stored)."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter(set(image_numbers)),
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = BARE_IMAGE.sub("", cleaned)
    # "image:" is a scheme for <img> only: a link to it leads nowhere.
    cleaned = re.sub(r'<a href="image:[^"]*"', "<a", cleaned)
    return cleaned.strip()


def placed_numbers(body: str) -> set[int]:
    return {int(n) for n in PLACED_IMAGE.findall(body or "")}


def image_tag(image: Any, *, css: str = "img-fluid") -> SafeString:
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" decoding="async" class="{}">',
        reverse("learning:image", args=[image.pk]),
        image.alt_text,
        image.width,
        image.height,
        css,
    )


def render_body(body: str, images: Sequence[Any]) -> SafeString:
    """The stored (sanitised) text as HTML for a page: images placed, tables scrollable."""
    by_number = {image.number: image for image in images}

    def place(match: re.Match[str]) -> str:
        image = by_number.get(int(match.group(1)))
        return str(image_tag(image)) if image is not None else ""

    html = PLACED_IMAGE.sub(place, body or "")
    html = html.replace(
        "<table>",
        format_html(
            '<div class="table-responsive" tabindex="0" role="region" aria-label="{}"><table class="table table-sm">',
            _("Table"),
        ),
    ).replace("</table>", "</table></div>")
    return mark_safe(html)  # noqa: S308 - stored sanitised by clean_body; only our own tags added


def unplaced_images(body: str, images: Sequence[Any]) -> list[Any]:
    """The lesson's images that its text does not place (shown after the text)."""
    placed = placed_numbers(body)
    return [image for image in images if image.number not in placed]
