"""The sign-in sheet of a session as a PDF (WeasyPrint, decision 0004).

A4, in the run's language (right to left for Arabic), with the Noto fonts installed on the
machine: the run and session, date, time, venue and trainers, then the participants (name,
organisation, a signature box), room for late arrivals and the trainer's signature, and "Page n
of N" at the foot of each page. Nothing is fetched from the network: the style sheet is inline and
every other URL is refused.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

LATE_ROWS = 6


class OfflineFetchError(ValueError):
    pass


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise OfflineFetchError(f"the sign-in sheet fetches nothing ({url})")


def css_string(text: str) -> str:
    """A CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_content() -> str:
    """The `content` value "Page 1 of 3" for the page footer, from one translated sentence
    whose placeholders become CSS counters."""
    sentence = _("Page %(page)s of %(pages)s")
    pieces: list[str] = []
    rest = sentence
    while rest:
        positions = [(rest.find(p), p) for p in ("%(page)s", "%(pages)s") if p in rest]
        if not positions:
            pieces.append(css_string(rest))
            break
        index, placeholder = min(positions)
        if index:
            pieces.append(css_string(rest[:index]))
        pieces.append("counter(page)" if placeholder == "%(page)s" else "counter(pages)")
        rest = rest[index + len(placeholder) :]
    return " ".join(pieces)


def sheet_language(run: Any) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return run.language if run.language in codes else translation.get_language() or settings.LANGUAGE_CODE


def sign_in_sheet_html(session: Any, participants: list[Any], trainers: list[Any]) -> str:
    language = sheet_language(session.run)
    with translation.override(language):
        return render_to_string(
            "delivery/sign_in_sheet.html",
            {
                "session": session,
                "run": session.run,
                "participants": participants,
                "trainers": trainers,
                "late_rows": range(LATE_ROWS),
                "language": language,
                "bidi": translation.get_language_bidi(),
                "page_counter": page_counter_content(),
            },
        )


def sign_in_sheet_pdf(session: Any, participants: list[Any], trainers: list[Any]) -> bytes:
    from weasyprint import HTML

    html = sign_in_sheet_html(session, participants, trainers)
    return HTML(string=html, base_url=None, url_fetcher=_refuse).write_pdf()
