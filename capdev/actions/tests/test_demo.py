"""The demo requests and Actions: the named portfolio of DOMAIN.md, idempotence, and the synthetic
Actions for benchmarks."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from capdev.actions.models import (
    Action,
    EligibleCountry,
    Phase,
    Request,
    RequestStatus,
)
from capdev.demo.actions import ACTIONS, SYN_ACTIONS_PER_UNIT, load_actions, synthetic_actions
from capdev.demo.loader import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """Demo programme at scale 2 with its requests and Actions, rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(scale=2)
        yield load_actions(scale=2)
        transaction.set_rollback(True)


def test_named_actions_are_numbered_per_country(demo, db):
    names = set(Action.objects.exclude(demo_key__startswith="syn-").values_list("name", flat=True))
    assert {
        "Brazil I",
        "Brazil II",
        "Brazil III",
        "Costa Rica IV",
        "Costa Rica V",
        "El Salvador II",
        "Gran Chaco",
    } <= names
    assert any(name.startswith("Kyrgyzstan") for name in names)


def test_brazil_iii_is_the_dpu_action(demo, db):
    action = Action.objects.get(name="Brazil III")
    assert action.type == "holistic" and action.phase == Phase.COMPLETED
    assert set(action.partners.values_list("acronym", flat=True)) == {"DPU", "ESDPU"}
    assert action.thematic_area.code == "protection"
    assert action.request.status == RequestStatus.APPROVED
    assert list(action.transitions.values_list("to_phase", flat=True)) == [
        "assessment",
        "design",
        "implementation",
        "handover",
        "completed",
    ]
    assert action.objectives.filter(level="enabling").exists()
    assert action.deliverables.filter(kind="tna_report").exists()
    assert action.mou.signed_on is not None


def test_gran_chaco_is_a_regional_partnership_with_the_programmes_figures(demo, db):
    action = Action.objects.get(name="Gran Chaco")
    assert action.type == "regional" and action.country is None
    assert sorted(action.countries.values_list("code", flat=True)) == ["AR", "BO", "PY"]
    assert action.partnerships.count() == 8
    total = sum(action.budget_lines.values_list("planned", flat=True), Decimal(0))
    assert total == Decimal("723740.50")
    assert sorted(action.funder_shares.values_list("percent", flat=True)) == [
        Decimal("5.40"),
        Decimal("94.60"),
    ]


def test_costa_rica_iv_and_el_salvador_ii(demo, db):
    cr4 = Action.objects.get(name="Costa Rica IV")
    assert set(cr4.partners.values_list("acronym", flat=True)) == {"DGME", "MINSA"}
    assert set(cr4.deliverables.values_list("kind", flat=True)) == {"protocol", "curriculum"}
    sv2 = Action.objects.get(name="El Salvador II")
    assert set(sv2.deliverables.values_list("kind", flat=True)) == {"tna_report", "handbook"}


def test_rejected_and_pending_requests(demo, db):
    statuses = set(Request.objects.values_list("status", flat=True))
    assert {"received", "analysis", "submitted", "approved", "rejected", "withdrawn"} <= statuses
    rejected = Request.objects.filter(status=RequestStatus.REJECTED)
    assert all(r.decision_reason and r.decided_on for r in rejected)
    assert Request.objects.awaiting_decision().count() >= 2


def test_request_timelines_carry_the_historical_dates(demo, db):
    request = Action.objects.get(name="Brazil III").request
    assert [t.at.date().isoformat() for t in request.transitions.order_by("at")] == [
        "2020-10-05",
        "2020-10-19",
        "2021-01-11",
        "2021-02-03",
    ]


def test_partner_countries_are_eligible(demo, db):
    assert (
        EligibleCountry.objects.filter(country_id__in=["BR", "CR", "SV", "KG", "AR", "BO", "PY"]).count() == 7
    )


def test_loading_twice_creates_nothing_new(demo, db):
    again = load_actions(scale=2)
    assert again == demo


def test_scale_two_adds_two_hundred_synthetic_actions(demo, db):
    synthetic = Action.objects.filter(demo_key__startswith="syn-action-")
    assert synthetic.count() == 2 * SYN_ACTIONS_PER_UNIT
    assert demo["actions"] == len(ACTIONS) + 2 * SYN_ACTIONS_PER_UNIT
    sample = synthetic.order_by("demo_key").first()
    assert sample.partnerships.count() == 1 and sample.budget_lines.count() == 3
    assert sample.transitions.exists() and sample.objectives.count() == 3


def test_synthetic_actions_are_deterministic_and_uniquely_named(demo, db):
    first, again = synthetic_actions(1), synthetic_actions(1)
    assert first == again
    names = list(Action.objects.values_list("name", flat=True))
    assert len(names) == len(set(names))
