"""Content that other apps attach to a course version's modules (lessons, SCORM packages of the
learning app) registers a copier here, so that deriving a new version or an adaptation carries it
over without the catalogue importing those apps (dependencies point one way: catalogue → learning).

A copier is called inside `copy_version_content`'s transaction with the source and target
versions and `module_map`, {source module id: copied module id}. It must run a constant number
of queries whatever the size of the version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Copier = Callable[[Any, Any, dict[int, int]], None]
_COPIERS: dict[str, Copier] = {}


def module_content_copier(name: str) -> Callable[[Copier], Copier]:
    """Register `fn(source_version, target_version, module_map)` under `name`."""

    def decorator(fn: Copier) -> Copier:
        _COPIERS[name] = fn
        return fn

    return decorator


def copy_module_content(source: Any, target: Any, module_map: dict[int, int]) -> None:
    for _name, fn in sorted(_COPIERS.items()):
        fn(source, target, module_map)
