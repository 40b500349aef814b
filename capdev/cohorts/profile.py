"""How a candidate fits a call's candidate profile (advisory: selection shows it, never enforces it).

Criteria, each met (True), not met (False) or not applicable (None, when the call does not set it):

- ``organisation_type``: the candidate's organisation is of one of the call's organisation types;
- ``country``: the candidate's organisation is in one of the call's countries, or, without an
  organisation country, the candidate's nationality is;
- ``position``: the candidate's position contains one of the call's position keywords (case and
  accents ignored);
- ``languages``: the candidate speaks every required language at the minimum CEFR level or above
  ("native" counts above C2).

The share of women is a target for the whole selection, not a criterion of one candidate: the
selection page shows it against the accepted candidates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from capdev.reference.data import CEFR_LEVELS

CRITERIA = {
    "organisation_type": _("Organisation type"),
    "country": _("Country"),
    "position": _("Position"),
    "languages": _("Languages"),
}
LEVELS = [code for code, _label in CEFR_LEVELS]


def fold(text: str) -> str:
    """Lower case without accents, for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def level_at_least(level: str, minimum: str) -> bool:
    if minimum not in LEVELS:
        return True
    return level in LEVELS and LEVELS.index(level) >= LEVELS.index(minimum)


class CallProfile:
    """The call's criteria, read once so that many candidates are checked without more queries."""

    def __init__(self, call: Any) -> None:
        self.organisation_types = set(call.organisation_types or [])
        self.countries = set(call.countries.values_list("code", flat=True)) if call.pk else set()
        self.positions = [fold(p) for p in (call.positions or []) if fold(p)]
        self.languages = [
            (str(item.get("language", "")), str(item.get("level", "")))
            for item in (call.languages or [])
            if isinstance(item, dict) and item.get("language")
        ]

    @property
    def is_empty(self) -> bool:
        return not (self.organisation_types or self.countries or self.positions or self.languages)

    def fit(self, person: Any, languages: Iterable[tuple[str, str]] | None = None) -> dict[str, bool | None]:
        """The fit of `person` (with `organisation` loaded). `languages` are the person's
        (code, level) pairs; read from the database when not given."""
        org = person.organisation
        result: dict[str, bool | None] = dict.fromkeys(CRITERIA)
        if self.organisation_types:
            result["organisation_type"] = org is not None and org.type in self.organisation_types
        if self.countries:
            country = (org.country_id if org is not None else None) or person.nationality_id
            result["country"] = country in self.countries
        if self.positions:
            position = fold(person.position)
            result["position"] = bool(position) and any(word in position for word in self.positions)
        if self.languages:
            spoken = dict(
                languages if languages is not None else person.languages.values_list("language", "level")
            )
            result["languages"] = all(
                code in spoken and level_at_least(spoken[code], minimum) for code, minimum in self.languages
            )
        return result


def misses(fit: dict[str, Any]) -> int:
    """How many criteria are not met."""
    return sum(1 for value in fit.values() if value is False)


def parse_languages(text: str) -> list[dict[str, str]]:
    """ "pt:B2; en:C1" → [{"language": "pt", "level": "B2"}, ...]; raises ValueError naming the
    part it cannot read."""
    from capdev.reference.data import LANGUAGE_CODES

    out: list[dict[str, str]] = []
    for part in (text or "").replace(",", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        code, _sep, level = part.partition(":")
        code, level = code.strip().lower(), level.strip()
        level = "native" if level.lower() == "native" else level.upper()
        if code not in LANGUAGE_CODES or (level and level not in LEVELS):
            raise ValueError(part)
        out.append({"language": code, "level": level or "A1"})
    return out


def format_languages(items: Iterable[dict[str, str]]) -> str:
    return "; ".join(f"{i['language']}:{i['level']}" for i in items)
