"""Builders for the request and Action tests, on top of the standing cast.

`world` gives: eligible countries (Brazil, Costa Rica, El Salvador, Argentina, Bolivia,
Paraguay), a received request and a submitted request from org A (the focal point's), a received
request from org B (the outsider's), Action A "Brazil I" (partner org A; an activity on which
the trainer holds an accepted deployment; a budget line, a deliverable with a file and an MoU
with a signed copy) and Action B "Costa Rica I" (partner org B).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from capdev.actions.models import (
    Action,
    ActionPartner,
    Activity,
    BudgetLine,
    Deliverable,
    EligibleCountry,
    MemorandumOfUnderstanding,
    PhaseTransition,
    Request,
    RequestAttachment,
    RequestOrganisation,
    RequestStatus,
)
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile, InstitutionType
from capdev.reference.models import Country, SpecificArea, ThematicArea

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELIGIBLE = ("BR", "CR", "SV", "AR", "BO", "PY", "KG")


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> Any:
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _read_downloads(monkeypatch: Any) -> None:
    """Read file downloads to the end, as a browser does, so that the file is closed."""
    original = Client.get

    def get(self: Client, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        return response

    monkeypatch.setattr(Client, "get", get)


@pytest.fixture
def eligible(db: Any) -> list[EligibleCountry]:
    return [EligibleCountry.objects.get_or_create(country_id=code)[0] for code in ELIGIBLE]


def theme(code: str = "protection") -> ThematicArea:
    return ThematicArea.objects.get(code=code)


def area(code: str) -> SpecificArea:
    return SpecificArea.objects.get(code=code)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


_counter = {"n": 0}


def make_request(
    org: Any,
    *,
    status: str = RequestStatus.RECEIVED,
    countries: tuple[str, ...] = ("BR",),
    title: str = "Training of trainers on asylum",
    region: str = "",
    thematic: str = "protection",
    extra_orgs: tuple[Any, ...] = (),
) -> Request:
    """A request written directly (the service tests file theirs through the service)."""
    _counter["n"] += 1
    request = Request.objects.create(
        reference=f"REQ-2020-{900 + _counter['n']}",
        title=title,
        region=region,
        thematic_area=theme(thematic),
        statement_of_need="Public defenders need to train colleagues on asylum law.",
        status=status,
        received_on=D(2020, 3, 2),
    )
    RequestOrganisation.objects.create(request=request, organisation=org, is_lead=True)
    for other in extra_orgs:
        RequestOrganisation.objects.create(request=request, organisation=other)
    request.countries.set(countries)
    return request


def make_action(name: str, org: Any, country_code: str, **extra: Any) -> Action:
    values: dict[str, Any] = {
        "thematic_area": theme(),
        "phase": "implementation",
        "start_date": D(2022, 1, 1),
        "end_date": D(2023, 12, 31),
    }
    values.update(extra)
    values.setdefault("region", "latin_america")
    action = Action.objects.create(name=name, country_id=country_code, **values)
    action.countries.set([country_code])
    ActionPartner.objects.create(action=action, organisation=org, is_lead=True)
    PhaseTransition.objects.create(
        action=action, from_phase="", to_phase="assessment", on=values["start_date"]
    )
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


@dataclass
class World:
    req_received: Request
    req_submitted: Request
    req_b: Request
    attachment: RequestAttachment
    action_a: Action
    action_b: Action
    activity_a: Activity
    line: BudgetLine
    deliverable: Deliverable
    mou: MemorandumOfUnderstanding

    def ids(self) -> dict[str, Any]:
        return {
            "req_received": self.req_received.pk,
            "req_submitted": self.req_submitted.pk,
            "req_b": self.req_b.pk,
            "attachment": self.attachment.pk,
            "action_a": self.action_a.pk,
            "action_b": self.action_b.pk,
            "activity_a": self.activity_a.pk,
            "line": self.line.pk,
            "deliverable": self.deliverable.pk,
        }


@pytest.fixture
def world(cast: Any, eligible: Any) -> World:
    req_received = make_request(cast.org_a)
    attachment = RequestAttachment(
        request=req_received, title="Letter", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("letter.pdf", ContentFile(PDF), save=True)
    req_submitted = make_request(
        cast.org_a, status=RequestStatus.SUBMITTED, title="Online course on refugee law"
    )
    req_b = make_request(cast.org_b, countries=("CR",), title="Migration and health", thematic="horizontal")
    action_a = make_action("Brazil I", cast.org_a, "BR")
    action_b = make_action("Costa Rica I", cast.org_b, "CR")
    activity_a = make_activity(
        action_a, "Training of Trainers", D(2022, 7, 4), days=5, type="tot", status="done"
    )
    expert = ExpertProfile.objects.create(person=cast.trainer.person, institution_type=InstitutionType.ASYLUM)
    Deployment.objects.create(activity=activity_a, expert=expert, status=DeploymentStatus.ACCEPTED)
    line = BudgetLine.objects.create(
        action=action_a,
        label="Experts' fees",
        planned=Decimal("50000"),
        committed=Decimal("20000"),
        position=1,
    )
    deliverable = Deliverable(action=action_a, kind="handbook", title="Training handbook", status="delivered")
    deliverable.file.save("handbook.pdf", ContentFile(PDF), save=False)
    deliverable.content_type = "application/pdf"
    deliverable.save()
    mou = MemorandumOfUnderstanding(action=action_a, signed_on=D(2022, 2, 1), signatories="DPU and ICMPD")
    mou.file.save("mou.pdf", ContentFile(PDF), save=False)
    mou.content_type = "application/pdf"
    mou.save()
    return World(
        req_received, req_submitted, req_b, attachment, action_a, action_b, activity_a, line, deliverable, mou
    )
