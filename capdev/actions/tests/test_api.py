"""The REST API of requests, Actions and deliverables: scoped reads, writes through the services,
DomainError as a JSON 400/409."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from capdev.actions.models import Action, Deliverable, Request, RequestStatus
from capdev.actions.tests.conftest import PDF

pytestmark = pytest.mark.django_db


def api(cast: Any, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(getattr(cast, who))
    return client


def filing(**extra: Any) -> dict[str, Any]:
    data = {
        "organisations": [],
        "countries": ["BR"],
        "thematic_area": "protection",
        "specific_areas": ["legal_assistance"],
        "title": "Online course on refugee law",
        "statement_of_need": "Defenders need training.",
        "channel": "direct",
    }
    data.update(extra)
    return data


def test_focal_point_files_through_the_api(cast, eligible):
    response = api(cast, "focal").post(
        "/api/v1/requests/", filing(organisations=[cast.org_a.pk]), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("REQ-") and body["status"] == "received"
    assert body["organisations"][0]["is_lead"] is True
    assert body["transitions"][0]["to_status"] == "received"


def test_ineligible_country_is_a_400_with_the_message(cast, eligible):
    response = api(cast, "focal").post(
        "/api/v1/requests/", filing(organisations=[cast.org_a.pk], countries=["CO"]), format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ineligible_country"
    assert "Colombia" in response.json()["detail"]
    assert response.json()["field"] == "countries"


def test_participants_cannot_file(cast, eligible):
    response = api(cast, "participant").post(
        "/api/v1/requests/", filing(organisations=[cast.org_a.pk]), format="json"
    )
    assert response.status_code == 403


def test_workflow_through_the_api(cast, world):
    request = world.req_received
    staff = api(cast, "staff")
    assert (
        staff.post(f"/api/v1/requests/{request.pk}/analyse/", {"note": "ok"}, format="json").status_code
        == 200
    )
    assert (
        staff.post(f"/api/v1/requests/{request.pk}/submit/", {}, format="json").json()["status"]
        == "submitted"
    )
    # staff do not decide
    assert staff.post(f"/api/v1/requests/{request.pk}/approve/", {}, format="json").status_code == 403
    steering = api(cast, "steering")
    reject = steering.post(f"/api/v1/requests/{request.pk}/reject/", {"reason": ""}, format="json")
    assert reject.status_code == 400 and reject.json()["code"] == "reason_required"
    approve = steering.post(f"/api/v1/requests/{request.pk}/approve/", {}, format="json")
    assert approve.status_code == 201
    assert approve.json()["name"] == "Brazil II"
    again = steering.post(f"/api/v1/requests/{request.pk}/approve/", {}, format="json")
    assert again.status_code == 409


def test_steering_cannot_see_a_received_request(cast, world):
    assert (
        api(cast, "steering")
        .post(f"/api/v1/requests/{world.req_received.pk}/approve/", {}, format="json")
        .status_code
        == 404
    )


def test_focal_point_withdraws_their_request(cast, world):
    response = api(cast, "focal").post(
        f"/api/v1/requests/{world.req_received.pk}/withdraw/", {"note": "No longer needed."}, format="json"
    )
    assert response.status_code == 200
    assert Request.objects.get(pk=world.req_received.pk).status == RequestStatus.WITHDRAWN
    assert (
        api(cast, "outsider")
        .post(f"/api/v1/requests/{world.req_received.pk}/withdraw/", {}, format="json")
        .status_code
        == 404
    )


def test_action_detail_nests_partners_objectives_transitions_and_budget(cast, world):
    body = api(cast, "focal").get(f"/api/v1/actions/{world.action_a.pk}/").json()
    assert body["name"] == "Brazil I"
    assert body["partners"][0]["organisation"] == cast.org_a.pk
    assert body["transitions"][0]["to_phase"] == "assessment"
    assert body["budget_lines"][0]["planned"] == "50000.00"
    assert body["funder_shares"] == []
    expert = api(cast, "trainer").get(f"/api/v1/actions/{world.action_a.pk}/").json()
    assert expert["budget_lines"] is None and expert["funder_shares"] is None


def test_action_list_is_scoped_and_filtered(cast, world):
    names = [a["name"] for a in api(cast, "focal").get("/api/v1/actions/").json()["results"]]
    assert names == ["Brazil I"]
    names = [
        a["name"] for a in api(cast, "staff").get("/api/v1/actions/", {"country": "CR"}).json()["results"]
    ]
    assert names == ["Costa Rica I"]


def test_focal_point_co_designs_through_the_api(cast, world):
    client = api(cast, "focal")
    response = client.patch(
        f"/api/v1/actions/{world.action_a.pk}/",
        {"summary": "Shaped with the DPU.", "objectives": {"individual": ["Defenders apply refugee law."]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["objectives"] == [
        {"level": "individual", "text": "Defenders apply refugee law.", "position": 1}
    ]
    refused = client.patch(f"/api/v1/actions/{world.action_a.pk}/", {"name": "Brazil IX"}, format="json")
    assert refused.status_code == 403
    assert Action.objects.get(pk=world.action_a.pk).name == "Brazil I"


def test_phase_change_through_the_api(cast, world):
    client = api(cast, "staff")
    response = client.post(
        f"/api/v1/actions/{world.action_a.pk}/phase/", {"to_phase": "handover"}, format="json"
    )
    assert response.status_code == 201 and response.json()["from_phase"] == "implementation"
    skip = client.post(
        f"/api/v1/actions/{world.action_b.pk}/phase/", {"to_phase": "completed"}, format="json"
    )
    assert skip.status_code == 400
    assert (
        api(cast, "focal")
        .post(f"/api/v1/actions/{world.action_a.pk}/phase/", {"to_phase": "completed"}, format="json")
        .status_code
        == 403
    )


def test_budget_writes_through_the_api(cast, world):
    client = api(cast, "staff")
    over = client.post(
        f"/api/v1/actions/{world.action_a.pk}/budget-lines/",
        {"label": "Travel", "planned": "1000", "committed": "2000", "spent": "0"},
        format="json",
    )
    assert over.status_code == 400 and over.json()["code"] == "over_plan"
    shares = client.put(
        f"/api/v1/actions/{world.action_a.pk}/funder-shares/",
        {"shares": [{"funder": cast.donor.pk, "fund": "NDICI", "percent": "94.60"}]},
        format="json",
    )
    assert shares.status_code == 400 and shares.json()["code"] == "shares_not_100"
    ok = client.put(
        f"/api/v1/actions/{world.action_a.pk}/funder-shares/",
        {
            "shares": [
                {"funder": cast.donor.pk, "percent": "94.60"},
                {"funder": cast.implementer.pk, "percent": "5.40"},
            ]
        },
        format="json",
    )
    assert ok.status_code == 200
    assert sorted(Decimal(s["percent"]) for s in ok.json()["funder_shares"]) == [
        Decimal("5.40"),
        Decimal("94.60"),
    ]


def test_deliverables_through_the_api(cast, world):
    client = api(cast, "staff")
    response = client.post(
        "/api/v1/deliverables/",
        {
            "action": world.action_a.pk,
            "kind": "study",
            "title": "Study",
            "file": SimpleUploadedFile("s.pdf", PDF),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["download"].endswith("/file/")
    item = Deliverable.objects.get(title="Study")
    patch = client.patch(f"/api/v1/deliverables/{item.pk}/", {"status": "delivered"}, format="json")
    assert patch.status_code == 200 and patch.json()["delivered_on"] == datetime.date.today().isoformat()
    assert (
        api(cast, "focal")
        .post("/api/v1/deliverables/", {"action": world.action_a.pk, "kind": "study", "title": "x"})
        .status_code
        == 403
    )
    assert (
        client.post("/api/v1/deliverables/", {"action": 999999, "kind": "study", "title": "x"}).status_code
        == 404
    )
