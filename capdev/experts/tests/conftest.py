"""Builders for roster, activity and matching tests, on top of the standing cast.

`roster` gives: Action A "Brazil III" (partner: org A, the focal point's; protection / asylum
procedures), Action B "Costa Rica IV" (partner: org B, the outsider's; horizontal / health),
an activity in each, the trainer's expert profile (Tina, deployed on A's activity, invited to
B's), and a second expert without a login.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from capdev.actions.models import Action, ActionPartner, Activity
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile, InstitutionType
from capdev.people.models import Person, PersonLanguage
from capdev.reference.models import SpecificArea, ThematicArea

D = datetime.date


def make_action(name: str, org: Any, country: str, thematic: str, specific: tuple[str, ...] = ()) -> Action:
    action = Action.objects.create(
        name=name,
        country_id=country,
        thematic_area=ThematicArea.objects.get(code=thematic),
        phase="implementation",
        start_date=D(2022, 1, 1),
    )
    action.specific_areas.set(SpecificArea.objects.filter(code__in=specific))
    ActionPartner.objects.create(action=action, organisation=org, is_lead=True)
    return action


def make_activity(action: Action, title: str, start: datetime.date, days: int = 1, **extra: Any) -> Activity:
    values: dict[str, Any] = {"type": "workshop", "mode": "face_to_face"}
    values.update(extra)
    return Activity.objects.create(
        action=action,
        title=title,
        start_date=start,
        end_date=start + datetime.timedelta(days=days - 1),
        **values,
    )


def make_expert(
    person: Person,
    *,
    thematic: tuple[str, ...] = (),
    specific: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    languages: tuple[tuple[str, str], ...] = (),
    institution_type: str = InstitutionType.ASYLUM,
    consent: bool = True,
) -> ExpertProfile:
    profile = ExpertProfile.objects.create(
        person=person, institution_type=institution_type, regions=list(regions), consent_to_contact=consent
    )
    profile.thematic_areas.set(ThematicArea.objects.filter(code__in=thematic))
    profile.specific_areas.set(SpecificArea.objects.filter(code__in=specific))
    for code, level in languages:
        PersonLanguage.objects.update_or_create(person=person, language=code, defaults={"level": level})
    return profile


def new_person(first: str, last: str, sex: str = "F", nationality: str = "DE") -> Person:
    return Person.objects.create(first_name=first, last_name=last, sex=sex, nationality_id=nationality)


@dataclass
class Roster:
    action_a: Action
    action_b: Action
    activity_a: Activity
    activity_b: Activity
    tina: ExpertProfile
    other: ExpertProfile
    deployed: Deployment
    invited: Deployment

    def ids(self) -> dict[str, int]:
        return {
            "action_a": self.action_a.pk,
            "action_b": self.action_b.pk,
            "activity_a": self.activity_a.pk,
            "activity_b": self.activity_b.pk,
            "tina": self.tina.pk,
            "other": self.other.pk,
            "deployed": self.deployed.pk,
            "invited": self.invited.pk,
        }


@pytest.fixture
def roster(cast: Any) -> Roster:
    action_a = make_action("Brazil III", cast.org_a, "BR", "protection", ("asylum_procedures",))
    action_b = make_action("Costa Rica IV", cast.org_b, "CR", "horizontal", ("health",))
    activity_a = make_activity(
        action_a, "Training of Trainers", D(2022, 7, 4), 5, type="tot", city="Brasília"
    )
    activity_b = make_activity(action_b, "Protocol drafting workshop", D(2022, 7, 18), 3, city="San José")
    tina = make_expert(
        cast.trainer.person,
        thematic=("protection",),
        specific=("asylum_procedures",),
        regions=("latin_america",),
        languages=(("pt", "C1"), ("en", "C2")),
    )
    other = make_expert(
        new_person("Jan", "Novak", "M", "CZ"), thematic=("horizontal",), languages=(("es", "B2"),)
    )
    deployed = Deployment.objects.create(activity=activity_a, expert=tina, status=DeploymentStatus.ACCEPTED)
    invited = Deployment.objects.create(activity=activity_b, expert=tina, status=DeploymentStatus.INVITED)
    return Roster(action_a, action_b, activity_a, activity_b, tina, other, deployed, invited)
