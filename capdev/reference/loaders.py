"""Loads (and re-loads, idempotently) the shipped reference data. Used by a data migration."""

from __future__ import annotations

from typing import Any

import pycountry

from capdev.reference import data

# Short, usual names where ISO's official one reads badly in lists.
_COMMON_NAMES = {
    "BO": "Bolivia",
    "VE": "Venezuela",
    "IR": "Iran",
    "KR": "South Korea",
    "KP": "North Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "RU": "Russia",
    "SY": "Syria",
    "TZ": "Tanzania",
    "TW": "Taiwan",
    "VN": "Viet Nam",
    "PS": "Palestine",
    "CD": "DR Congo",
    "FM": "Micronesia",
}


def load_countries(Country: Any) -> int:
    rows = []
    for c in pycountry.countries:
        name = _COMMON_NAMES.get(c.alpha_2, getattr(c, "common_name", None) or c.name)
        rows.append(
            Country(
                code=c.alpha_2,
                alpha3=c.alpha_3,
                numeric=c.numeric,
                name=name,
                iso_name=c.name,
                region=data.region_for(c.alpha_2),
            )
        )
    # Kosovo is not in ISO 3166-1 but is a partner in the Western Balkans (user-assigned code XK).
    rows.append(Country(code="XK", alpha3="XKX", numeric="", name="Kosovo", region=data.EU_NEIGHBOURHOOD))
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create([r for r in rows if r.code not in existing])
    for r in rows:
        if r.code in existing:
            Country.objects.filter(code=r.code).update(name=r.name, iso_name=r.iso_name, region=r.region)
    return len(rows)


def load_thematic_areas(ThematicArea: Any, SpecificArea: Any) -> None:
    for position, (code, name, specifics) in enumerate(data.THEMATIC_AREAS):
        area, _ = ThematicArea.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        for spos, (scode, sname) in enumerate(specifics):
            SpecificArea.objects.update_or_create(
                code=scode, defaults={"name": sname, "position": spos, "thematic_area": area}
            )
