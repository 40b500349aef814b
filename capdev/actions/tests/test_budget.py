"""Budgets (lines, consistency checks, funder shares, the overview against the time frame),
deliverables and the memorandum of understanding."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.actions import budget, deliverables
from capdev.actions.models import BudgetLine, Deliverable, FunderShare, MemorandumOfUnderstanding
from capdev.actions.tests.conftest import PDF, make_action, make_activity
from capdev.core.errors import DomainError
from capdev.core.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def action(cast: Any) -> Any:
    return make_action("Gran Chaco", cast.org_a, "PY", start_date=D(2022, 1, 1), end_date=D(2023, 12, 31))


def line(action: Any, actor: Any, **values: Any) -> BudgetLine:
    defaults = {
        "label": "Experts' fees",
        "planned": Decimal("10000"),
        "committed": Decimal(0),
        "spent": Decimal(0),
    }
    return budget.add_budget_line(action, actor=actor, **(defaults | values))


# --- lines ---------------------------------------------------------------------------------


def test_a_consistent_line_is_recorded_and_audited(cast, action):
    item = line(action, cast.staff, committed=Decimal("8000"), spent=Decimal("5000.5"))
    assert (item.planned, item.committed, item.spent, item.position) == (
        Decimal("10000.00"),
        Decimal("8000.00"),
        Decimal("5000.50"),
        1,
    )
    assert line(action, cast.staff, label="Travel").position == 2
    assert AuditEvent.objects.for_object(action).filter(verb="action.budget_line_added").count() == 2


def test_committing_over_plan_is_refused_without_a_reason(cast, action):
    with pytest.raises(DomainError) as exc:
        line(action, cast.staff, committed=Decimal("12000"))
    assert exc.value.code == "over_plan"
    assert exc.value.field == "committed"
    assert (
        "EUR 12,000.00 committed is more than the EUR 10,000.00 planned (EUR 2,000.00 over plan)"
        in exc.value.message
    )
    assert not BudgetLine.objects.exists()


def test_committing_over_plan_with_a_reason(cast, action):
    item = line(
        action, cast.staff, committed=Decimal("12000"), over_plan_reason="Two extra replicas requested."
    )
    assert item.committed == Decimal("12000.00")


def test_spending_more_than_committed_is_refused(cast, action):
    with pytest.raises(DomainError) as exc:
        line(action, cast.staff, committed=Decimal("4000"), spent=Decimal("4500"))
    assert exc.value.code == "spent_over_committed"
    assert "EUR 4,500.00 spent is more than the EUR 4,000.00 committed" in exc.value.message


def test_negative_amounts_are_refused(cast, action):
    with pytest.raises(DomainError, match="cannot be negative"):
        line(action, cast.staff, planned=Decimal("-1"))


def test_an_update_is_checked_again(cast, action):
    item = line(action, cast.staff, committed=Decimal("9000"))
    with pytest.raises(DomainError):
        budget.update_budget_line(item, actor=cast.staff, planned=Decimal("5000"))
    budget.update_budget_line(item, actor=cast.staff, spent=Decimal("8000"))
    item.refresh_from_db()
    assert item.spent == Decimal("8000.00")
    event = AuditEvent.objects.for_object(action).get(verb="action.budget_line_changed")
    assert event.changes["spent"] == ["0.00", "8000.00"]


def test_a_line_with_money_committed_is_not_removed(cast, action):
    item = line(action, cast.staff, committed=Decimal("1"))
    with pytest.raises(DomainError, match="set its amounts to zero"):
        budget.remove_budget_line(item, actor=cast.staff)
    budget.update_budget_line(item, actor=cast.staff, committed=Decimal(0))
    budget.remove_budget_line(item, actor=cast.staff)
    assert not BudgetLine.objects.exists()


# --- funder shares -------------------------------------------------------------------------


def test_funder_shares_must_add_up_to_100(cast, action):
    with pytest.raises(DomainError) as exc:
        budget.set_funder_shares(
            action, actor=cast.staff, shares=[{"funder": cast.donor, "fund": "AMIF", "percent": "94.60"}]
        )
    assert exc.value.code == "shares_not_100"
    assert "add up to 94.60 %" in exc.value.message and "5.40 % missing" in exc.value.message
    with pytest.raises(DomainError, match="too much"):
        budget.set_funder_shares(
            action,
            actor=cast.staff,
            shares=[{"funder": cast.donor, "percent": "94.60"}, {"funder": cast.implementer, "percent": "6"}],
        )
    assert not FunderShare.objects.exists()


def test_funder_shares_of_94_60_and_5_40(cast, action):
    budget.set_funder_shares(
        action,
        actor=cast.staff,
        shares=[
            {"funder": cast.donor, "fund": "NDICI", "percent": Decimal("94.60")},
            {"funder": cast.implementer, "fund": "Own contribution", "percent": Decimal("5.40")},
        ],
    )
    assert sorted(action.funder_shares.values_list("percent", flat=True)) == [
        Decimal("5.40"),
        Decimal("94.60"),
    ]
    assert AuditEvent.objects.for_object(action).filter(verb="action.funder_shares_changed").exists()


def test_a_funder_and_fund_listed_twice_is_refused(cast, action):
    with pytest.raises(DomainError, match="listed twice"):
        budget.set_funder_shares(
            action,
            actor=cast.staff,
            shares=[
                {"funder": cast.donor, "fund": "AMIF", "percent": 50},
                {"funder": cast.donor, "fund": "amif", "percent": 50},
            ],
        )


def test_shares_can_be_cleared(cast, action):
    budget.set_funder_shares(action, actor=cast.staff, shares=[{"funder": cast.donor, "percent": 100}])
    budget.set_funder_shares(action, actor=cast.staff, shares=[])
    assert not FunderShare.objects.exists()


# --- overview ------------------------------------------------------------------------------


def test_elapsed_share():
    assert budget.elapsed_share(D(2022, 1, 1), D(2022, 12, 31), D(2021, 6, 1)) == 0
    assert budget.elapsed_share(D(2022, 1, 1), D(2022, 12, 31), D(2022, 7, 2)) == 50
    assert budget.elapsed_share(D(2022, 1, 1), D(2022, 12, 31), D(2024, 1, 1)) == 100
    assert budget.elapsed_share(D(2022, 1, 1), None, D(2022, 7, 2)) is None


def test_overview_against_the_time_frame(cast, action):
    line(action, cast.staff, planned=Decimal("60000"), committed=Decimal("30000"), spent=Decimal("15000"))
    line(
        action,
        cast.staff,
        label="Travel",
        planned=Decimal("40000"),
        committed=Decimal("40000"),
        spent=Decimal("35000"),
    )
    budget.set_funder_shares(action, actor=cast.staff, shares=[{"funder": cast.donor, "percent": 100}])
    overview = budget.budget_overview(action, today=D(2023, 1, 1))
    assert overview.total.planned == Decimal("100000.00")
    assert (overview.total.committed_pct, overview.total.spent_pct) == (70, 50)
    assert overview.elapsed_pct == 50
    assert overview.pace == "on track"
    assert [r.spent_pct for r in overview.rows] == [25, 88]
    assert overview.shares_total == Decimal("100.00")
    assert budget.budget_overview(action, today=D(2023, 12, 1)).pace == "behind"


def test_overview_bars_are_capped_at_100(cast, action):
    line(action, cast.staff, planned=Decimal("100"), committed=Decimal("150"), over_plan_reason="Agreed.")
    row = budget.budget_overview(action).rows[0]
    assert (row.committed_pct, row.bar_committed) == (150, 100)


# --- pages ---------------------------------------------------------------------------------


def test_budget_page_is_an_accessible_table(cast, world):
    body = cast.client("focal").get(f"/actions/{world.action_a.pk}/budget/").content.decode()
    assert "<caption" in body and "Planned (EUR)" in body
    assert "50,000.00" in body
    assert "Add a budget line" not in body  # focal points read


def test_budget_partial_for_htmx(cast, world):
    response = cast.client("staff").get(f"/actions/{world.action_a.pk}/budget/", HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()


def test_over_plan_refused_on_the_page_with_the_message(cast, world):
    url = f"/actions/{world.action_a.pk}/budget/lines/{world.line.pk}/"
    response = cast.client("staff").post(
        url,
        {
            "label": "Experts' fees",
            "category": "",
            "planned": "50000",
            "committed": "60000",
            "spent": "0",
            "over_plan_reason": "",
        },
    )
    assert response.status_code == 200
    assert "over plan" in response.content.decode()
    world.line.refresh_from_db()
    assert world.line.committed == Decimal("20000.00")


def test_funder_shares_page(cast, world):
    url = f"/actions/{world.action_a.pk}/budget/funders/"
    data = {
        "shares-TOTAL_FORMS": "2",
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "12",
        "shares-0-funder": cast.donor.pk,
        "shares-0-fund": "NDICI",
        "shares-0-percent": "90",
        "shares-1-funder": "",
        "shares-1-fund": "",
        "shares-1-percent": "",
    }
    response = cast.client("staff").post(url, data)
    assert response.status_code == 200
    assert "add up to 90.00 %" in response.content.decode()
    data["shares-0-percent"] = "100"
    assert cast.client("staff").post(url, data).status_code == 302
    assert world.action_a.funder_shares.get().percent == Decimal("100.00")


def test_removing_a_line_through_the_page(cast, world):
    url = f"/actions/{world.action_a.pk}/budget/lines/{world.line.pk}/remove/"
    response = cast.client("staff").post(url)
    assert response.status_code == 200 and "set its amounts to zero" in response.content.decode()


# --- deliverables and MoU ------------------------------------------------------------------


def test_deliverable_with_a_checked_upload(cast, action):
    activity = make_activity(action, "TNA", D(2022, 3, 1))
    item = deliverables.add_deliverable(
        action,
        actor=cast.staff,
        upload=SimpleUploadedFile("tna.pdf", PDF),
        kind="tna_report",
        title="TNA report",
        status="delivered",
        activity=activity,
    )
    assert item.content_type == "application/pdf" and item.file.name.endswith("tna.pdf")
    assert item.delivered_on == datetime.date.today()
    with pytest.raises(DomainError, match="not a PDF file"):
        deliverables.add_deliverable(
            action,
            actor=cast.staff,
            upload=SimpleUploadedFile("x.pdf", b"just text"),
            kind="study",
            title="Study",
        )
    assert Deliverable.objects.count() == 1


def test_deliverable_activity_must_belong_to_the_action(cast, action, world):
    with pytest.raises(DomainError, match="belong to this Action"):
        deliverables.add_deliverable(
            action, actor=cast.staff, kind="plan", title="Plan", activity=world.activity_a
        )


def test_deliverable_status_update_is_audited(cast, world):
    deliverables.update_deliverable(world.deliverable, actor=cast.staff, status="adopted")
    event = AuditEvent.objects.for_object(world.action_a).get(verb="action.deliverable_changed")
    assert event.changes["status"] == ["delivered", "adopted"]


def test_mou_is_recorded_then_updated(cast, action):
    mou = deliverables.save_mou(
        action,
        actor=cast.staff,
        signed_on=D(2022, 2, 1),
        signatories="DGM and ICMPD",
        valid_until=D(2024, 1, 31),
        upload=SimpleUploadedFile("mou.pdf", PDF),
    )
    assert mou.file and mou.content_type == "application/pdf"
    with pytest.raises(DomainError, match="expire before"):
        deliverables.save_mou(action, actor=cast.staff, signed_on=D(2022, 2, 1), valid_until=D(2021, 1, 1))
    deliverables.save_mou(
        action, actor=cast.staff, signed_on=D(2022, 2, 1), valid_until=D(2025, 1, 31), notes="Extended."
    )
    assert MemorandumOfUnderstanding.objects.get().notes == "Extended."
    verbs = list(AuditEvent.objects.for_object(action).values_list("verb", flat=True))
    assert "action.mou_recorded" in verbs and "action.mou_changed" in verbs


def test_deliverable_page_uploads(cast, world):
    response = cast.client("staff").post(
        f"/actions/{world.action_a.pk}/deliverables/new/",
        {
            "kind": "curriculum",
            "title": "Curriculum",
            "language": "pt",
            "status": "planned",
            "file": SimpleUploadedFile("c.pdf", PDF),
        },
    )
    assert response.status_code == 302
    item = Deliverable.objects.get(title="Curriculum")
    download = cast.client("focal").get(f"/actions/{world.action_a.pk}/deliverables/{item.pk}/file/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_a_program_renamed_pdf_is_refused_on_the_page(cast, world):
    response = cast.client("staff").post(
        f"/actions/{world.action_a.pk}/mou/",
        {"signatories": "x", "file": SimpleUploadedFile("mou.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
    )
    assert response.status_code == 200
    assert "program" in response.content.decode()
