"""Time zones of sessions.

A session's times are wall-clock times where it takes place, so each session stores the IANA
name of its zone ("America/Sao_Paulo"). The session form proposes, in this order: the zone of the
run's latest session, the main zone of the run's country, the installation's TIME_ZONE.

A country's zones come from the IANA database's `zone.tab` (installed with the system's tzdata or
Python's `tzdata` package). For the countries that span several zones, MAIN_ZONES names the zone
of the capital or of most people; otherwise the first zone listed is proposed.
"""

from __future__ import annotations

import functools
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings

# The zone of the capital (or of most people) of countries that span several zones.
MAIN_ZONES = {
    "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CD": "Africa/Kinshasa",
    "CL": "America/Santiago",
    "CN": "Asia/Shanghai",
    "CY": "Asia/Nicosia",
    "DE": "Europe/Berlin",
    "EC": "America/Guayaquil",
    "ES": "Europe/Madrid",
    "FM": "Pacific/Pohnpei",
    "GL": "America/Nuuk",
    "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa",
    "KZ": "Asia/Almaty",
    "MH": "Pacific/Majuro",
    "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti",
    "PG": "Pacific/Port_Moresby",
    "PS": "Asia/Gaza",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UM": "Pacific/Wake",
    "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


@functools.cache
def _zone_tab() -> dict[str, tuple[str, ...]]:
    """Country code → its zones, from the first zone.tab found (system tzdata, then Python's)."""
    candidates = [Path(p) / "zone.tab" for p in zoneinfo.TZPATH]
    try:
        import tzdata

        candidates.append(Path(tzdata.__file__).parent / "zoneinfo" / "zone.tab")
    except ImportError:
        pass
    for path in candidates:
        if path.is_file():
            zones: dict[str, list[str]] = {}
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                parts = line.split("\t")
                if len(parts) >= 3:
                    zones.setdefault(parts[0], []).append(parts[2])
            return {code: tuple(names) for code, names in zones.items()}
    return {}


def zones_of_country(code: str | None) -> tuple[str, ...]:
    return _zone_tab().get((code or "").upper(), ())


def main_zone(code: str | None) -> str | None:
    """The zone proposed for a session in country `code`, or None when unknown."""
    zones = zones_of_country(code)
    if not zones:
        return None
    preferred = MAIN_ZONES.get((code or "").upper())
    return preferred if preferred in zones or (preferred and is_valid(preferred)) else zones[0]


@functools.cache
def all_zones() -> tuple[str, ...]:
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/")))


def is_valid(name: str) -> bool:
    if not name or name != name.strip():
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def default_zone(run: Any) -> str:
    """The zone proposed for a new session of `run` (see the module docstring)."""
    latest = run.sessions.order_by("-date", "-start_time").values_list("timezone", flat=True).first()
    if latest:
        return str(latest)
    return main_zone(getattr(run, "country_id", None)) or settings.TIME_ZONE


def zone_choices(country: str | None) -> list[tuple[Any, Any]]:
    """Choices for a <select>: the country's zones first, then every zone."""
    from django.utils.translation import gettext as _

    own = list(zones_of_country(country))
    everything = [(z, z) for z in all_zones()]
    if not own:
        return everything
    return [
        (_("Time zones of the run's country"), [(z, z) for z in own]),
        (_("All time zones"), everything),
    ]
