"""Sections that later apps add to the run and enrolment pages, without the cohorts app importing
them (dependencies point one way: cohorts → learning, delivery).

An app registers a panel function in its AppConfig.ready:

    from capdev.cohorts.panels import Panel, run_panel

    @run_panel("sessions", order=20)
    def sessions_panel(request, run):
        if not can(request.user, "delivery.view_sessions", run):
            return None  # the panel is left out
        return Panel(title=_("Sessions"), template="delivery/_run_sessions.html",
                     context={"sessions": ...})

The run page (`cohorts/run_detail.html`) and the enrolment page render each panel as a
`<section>` with an `<h2>` of its title, including `template` with the panel's context plus
`run` / `enrolment` and `request`. A panel function must run a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    title: Any
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    order: int = 0
    # An optional link in the panel's heading, e.g. ("Manage sessions", url).
    action: tuple[Any, str] | None = None


PanelFn = Callable[[HttpRequest, Any], Panel | None]
_RUN: dict[str, tuple[int, PanelFn]] = {}
_ENROLMENT: dict[str, tuple[int, PanelFn]] = {}


def _register(registry: dict[str, tuple[int, PanelFn]], key: str, order: int) -> Callable[[PanelFn], PanelFn]:
    def decorator(fn: PanelFn) -> PanelFn:
        registry[key] = (order, fn)
        return fn

    return decorator


def run_panel(key: str, *, order: int = 50) -> Callable[[PanelFn], PanelFn]:
    """Register a section of the run page."""
    return _register(_RUN, key, order)


def enrolment_panel(key: str, *, order: int = 50) -> Callable[[PanelFn], PanelFn]:
    """Register a section of the enrolment page (one participant in one run)."""
    return _register(_ENROLMENT, key, order)


def _collect(registry: dict[str, tuple[int, PanelFn]], request: HttpRequest, obj: Any) -> list[Panel]:
    panels: list[Panel] = []
    for key, (order, fn) in sorted(registry.items(), key=lambda item: (item[1][0], item[0])):
        panel = fn(request, obj)
        if panel is not None:
            panel.key = panel.key or key
            panel.order = order
            panels.append(panel)
    return panels


def panels_for_run(request: HttpRequest, run: Any) -> list[Panel]:
    return _collect(_RUN, request, run)


def panels_for_enrolment(request: HttpRequest, enrolment: Any) -> list[Panel]:
    return _collect(_ENROLMENT, request, enrolment)
