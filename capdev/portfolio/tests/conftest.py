"""A small portfolio with figures that can be counted by hand (see test_figures.py).

Requests: org A (the focal point's) received 2020 and submitted 2021; org B approved 2021 and
rejected 2022 (Kenya, Africa).
Actions: A1 "Brazil I" (org A, classic, protection, implementation, 2021–2022); A2 "Brazil II"
(org A, holistic, horizontal, completed, 2018–2019); B1 "Costa Rica I" (org B, classic,
horizontal, design, from 2022); B2 "Kenya I" (org B, classic, legal, assessment, from 2023, Africa).
Activities: A1 2021 workshop done (5 women, 3 men, 1 other), 2022 ToT done (7, 5, 0), 2022
training planned (10, 10, 0: not yet reached), 2022 workshop cancelled (not counted); A2 2018 TNA
done (2, 2, 0); B1 2022 workshop done (4, 4, 0), 2023 online course ongoing (20, 10, 1).
Experts: Tina (F, Malta) accepted on A1's 2021 workshop and B1's workshop; Jan (M, Germany)
accepted on A1's ToT; Eva (F, Spain) only invited; Max (M, Germany) accepted on the cancelled
workshop.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from capdev.actions.models import Action, ActionPartner, Activity, Request, RequestOrganisation
from capdev.experts.models import Deployment, ExpertProfile
from capdev.people.models import Person
from capdev.reference.models import ThematicArea

D = datetime.date
_n = {"n": 0}


def make_request(
    org: Any, status: str, received: datetime.date, country: str, theme: str = "protection"
) -> Request:
    _n["n"] += 1
    request = Request.objects.create(
        reference=f"REQ-T-{_n['n']}",
        title=f"Request {_n['n']}",
        thematic_area=ThematicArea.objects.get(code=theme),
        statement_of_need="Need.",
        status=status,
        received_on=received,
    )
    RequestOrganisation.objects.create(request=request, organisation=org, is_lead=True)
    request.countries.set([country])
    return request


def make_action(name: str, org: Any, country: str, region: str, **values: Any) -> Action:
    theme = values.pop("theme", "protection")
    action = Action.objects.create(
        name=name,
        country_id=country,
        region=region,
        thematic_area=ThematicArea.objects.get(code=theme),
        **values,
    )
    action.countries.set([country])
    ActionPartner.objects.create(action=action, organisation=org, is_lead=True)
    return action


def make_activity(action: Action, kind: str, start: datetime.date, status: str, people=(0, 0, 0)) -> Activity:
    return Activity.objects.create(
        action=action,
        type=kind,
        title=f"{kind} {start}",
        start_date=start,
        end_date=start,
        status=status,
        participants_women=people[0],
        participants_men=people[1],
        participants_other=people[2],
    )


def expert(person: Person) -> ExpertProfile:
    return ExpertProfile.objects.create(person=person, institution_type="asylum")


def new_person(first: str, sex: str, nationality: str) -> Person:
    return Person.objects.create(first_name=first, last_name="Test", sex=sex, nationality_id=nationality)


@dataclass
class Portfolio:
    a1: Action
    a2: Action
    b1: Action
    b2: Action


@pytest.fixture
def portfolio(cast: Any) -> Portfolio:
    make_request(cast.org_a, "received", D(2020, 3, 1), "BR")
    make_request(cast.org_a, "submitted", D(2021, 5, 1), "BR")
    make_request(cast.org_b, "approved", D(2021, 6, 1), "CR", "horizontal")
    make_request(cast.org_b, "rejected", D(2022, 2, 1), "KE", "legal")

    a1 = make_action(
        "Brazil I",
        cast.org_a,
        "BR",
        "latin_america",
        type="classic",
        phase="implementation",
        start_date=D(2021, 1, 1),
        end_date=D(2022, 12, 31),
    )
    a2 = make_action(
        "Brazil II",
        cast.org_a,
        "BR",
        "latin_america",
        type="holistic",
        phase="completed",
        theme="horizontal",
        start_date=D(2018, 1, 1),
        end_date=D(2019, 12, 31),
    )
    b1 = make_action(
        "Costa Rica I",
        cast.org_b,
        "CR",
        "latin_america",
        type="classic",
        phase="design",
        theme="horizontal",
        start_date=D(2022, 3, 1),
    )
    b2 = make_action(
        "Kenya I",
        cast.org_b,
        "KE",
        "africa",
        type="classic",
        phase="assessment",
        theme="legal",
        start_date=D(2023, 2, 1),
    )

    w21 = make_activity(a1, "workshop", D(2021, 6, 1), "done", (5, 3, 1))
    tot = make_activity(a1, "tot", D(2022, 7, 4), "done", (7, 5, 0))
    make_activity(a1, "training", D(2022, 10, 3), "planned", (10, 10, 0))
    cancelled = make_activity(a1, "workshop", D(2022, 11, 7), "cancelled", (3, 3, 0))
    make_activity(a2, "tna", D(2018, 4, 2), "done", (2, 2, 0))
    wb1 = make_activity(b1, "workshop", D(2022, 5, 2), "done", (4, 4, 0))
    make_activity(b1, "online_course", D(2023, 3, 6), "ongoing", (20, 10, 1))

    tina = expert(cast.trainer.person)
    jan = expert(new_person("Jan", "M", "DE"))
    eva = expert(new_person("Eva", "F", "ES"))
    max_ = expert(new_person("Max", "M", "DE"))
    Deployment.objects.create(activity=w21, expert=tina, status="accepted")
    Deployment.objects.create(activity=wb1, expert=tina, status="accepted")
    Deployment.objects.create(activity=tot, expert=jan, status="accepted")
    Deployment.objects.create(activity=tot, expert=eva, status="invited")
    Deployment.objects.create(activity=cancelled, expert=max_, status="accepted")
    return Portfolio(a1, a2, b1, b2)
