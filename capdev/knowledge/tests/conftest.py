"""Builders for the knowledge-base tests, on top of the standing cast.

`kb` gives: Action A "Brazil I" (partner: org A, the focal point's) and Action B "Costa Rica I"
(partner: org B, the outsider's); a published lesson linked to both Actions (protection, Brazil,
ToT, tags "ToT" and "ownership"); a published good practice linked to B only (horizontal, Costa
Rica, online course); a draft linked to A.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from capdev.actions.models import Action, ActionPartner
from capdev.knowledge import services
from capdev.knowledge.models import Lesson
from capdev.reference.models import Country, ThematicArea

D = datetime.date


def theme(code: str) -> ThematicArea:
    return ThematicArea.objects.get(code=code)


def make_action(name: str, org: Any, country: str, thematic: str = "protection") -> Action:
    action = Action.objects.create(
        name=name,
        country_id=country,
        region="latin_america",
        thematic_area=theme(thematic),
        phase="implementation",
        start_date=D(2022, 1, 1),
    )
    action.countries.set([country])
    ActionPartner.objects.create(action=action, organisation=org, is_lead=True)
    return action


def make_lesson(actor: Any = None, **values: Any) -> Lesson:
    values.setdefault("kind", "lesson")
    values.setdefault("body", "A text.")
    values.setdefault("published", True)
    return services.create_lesson(actor=actor, **values)


@dataclass
class KB:
    action_a: Action
    action_b: Action
    lesson: Lesson
    practice: Lesson
    draft: Lesson

    def ids(self) -> dict[str, int]:
        return {
            "action_a": self.action_a.pk,
            "action_b": self.action_b.pk,
            "lesson": self.lesson.pk,
            "practice": self.practice.pk,
            "draft": self.draft.pk,
        }


@pytest.fixture
def kb(cast: Any) -> KB:
    action_a = make_action("Brazil I", cast.org_a, "BR")
    action_b = make_action("Costa Rica I", cast.org_b, "CR", "horizontal")
    lesson = make_lesson(
        cast.staff,
        title="Pilot a standardised ToT before roll-out",
        summary="Run the course once with a small group first.",
        body="The pilot with fourteen public defenders showed which modules were too long.",
        actions=[action_a, action_b],
        thematic_areas=[theme("protection")],
        countries=[Country.objects.get(code="BR")],
        activity_types=["tot"],
        tags=["ToT", "ownership"],
    )
    practice = make_lesson(
        cast.staff,
        kind="good_practice",
        title="Keep a weekly live session in online courses",
        summary="Participants stay on track.",
        body="A live session each Friday kept most participants until the last module.",
        language="en",
        actions=[action_b],
        thematic_areas=[theme("horizontal")],
        countries=[Country.objects.get(code="CR")],
        activity_types=["online_course"],
        tags=["online course"],
    )
    draft = make_lesson(
        cast.staff,
        title="Interpretation budgets are underestimated",
        body="Regional meetings need interpretation into several languages.",
        actions=[action_a],
        tags=["budget"],
        published=False,
    )
    return KB(action_a, action_b, lesson, practice, draft)
