"""Registry for personal-data export and erasure.

Each app that stores data about a person registers an exporter (returns a JSON-safe section) and,
if needed, an eraser (anonymises what it holds). `people.services` calls them all, so a new app
only has to register its own functions to be covered by export and erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any, Any], None]

_EXPORTERS: dict[str, Exporter] = {}
_ERASERS: dict[str, Eraser] = {}


def exporter(section: str) -> Callable[[Exporter], Exporter]:
    def decorator(fn: Exporter) -> Exporter:
        _EXPORTERS[section] = fn
        return fn

    return decorator


def eraser(name: str) -> Callable[[Eraser], Eraser]:
    def decorator(fn: Eraser) -> Eraser:
        _ERASERS[name] = fn
        return fn

    return decorator


def export_sections(person: Any) -> dict[str, Any]:
    return {section: fn(person) for section, fn in sorted(_EXPORTERS.items())}


def run_erasers(person: Any, actor: Any) -> list[str]:
    for _name, fn in sorted(_ERASERS.items()):
        fn(person, actor)
    return sorted(_ERASERS)
