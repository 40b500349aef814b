"""The public CASE 1.1 read endpoints: published and retired versions without login, drafts and
unknown identifiers 404 with an imsx_StatusInfo body, and a package in a fixed number of queries."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from capdev.competencies.exchange import export_case_package
from capdev.competencies.exchange.case import alignment_association_id, child_association_id, rubric_id
from capdev.competencies.exchange.samples import build_rich_version, build_sample_version
from capdev.competencies.models import CompetencyItem, FrameworkVersion, VersionStatus

pytestmark = pytest.mark.django_db
BASE = "/ims/case/v1p1"


@pytest.fixture
def anonymous() -> Client:
    return Client()


@pytest.fixture
def published(cast: Any) -> FrameworkVersion:
    return build_rich_version(cast.implementer)


@pytest.fixture
def draft(cast: Any) -> FrameworkVersion:
    return build_sample_version(cast.org_a, status=VersionStatus.DRAFT, title="Draft framework")


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def assert_unknown(client: Client, url: str, code: str = "unknownobject") -> None:
    body = get_json(client, url, 404)
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == code


def test_package_of_a_published_version_is_public_and_equals_the_export(anonymous, published):
    body = get_json(anonymous, f"{BASE}/CFPackages/{published.uuid}")
    assert body == export_case_package(published)


def test_retired_versions_are_still_served(anonymous, cast):
    retired = build_sample_version(cast.implementer, status=VersionStatus.RETIRED, title="Old framework")
    body = get_json(anonymous, f"{BASE}/CFDocuments/{retired.uuid}")
    assert body["adoptionStatus"] == "Deprecated"


def test_drafts_are_not_served(anonymous, draft):
    item = draft.items.first()
    assert item is not None
    for url in (
        f"{BASE}/CFDocuments/{draft.uuid}",
        f"{BASE}/CFPackages/{draft.uuid}",
        f"{BASE}/CFItems/{item.uuid}",
        f"{BASE}/CFItemAssociations/{item.uuid}",
        f"{BASE}/CFAssociations/{child_association_id(item.uuid)}",
        f"{BASE}/CFRubrics/{rubric_id(draft.uuid)}",
    ):
        assert_unknown(anonymous, url)
    listed = get_json(anonymous, f"{BASE}/CFDocuments")["CFDocuments"]
    assert str(draft.uuid) not in {d["identifier"] for d in listed}


def test_unknown_and_malformed_identifiers_answer_404_json(anonymous, published):
    assert_unknown(anonymous, f"{BASE}/CFPackages/{uuid.uuid4()}")
    assert_unknown(anonymous, f"{BASE}/CFItems/{uuid.uuid4()}")
    assert_unknown(anonymous, f"{BASE}/CFAssociations/{uuid.uuid4()}")
    assert_unknown(anonymous, f"{BASE}/CFRubrics/{published.uuid}")  # a document id is not a rubric id
    assert_unknown(anonymous, f"{BASE}/CFDocuments/not-a-uuid", code="invalid_uuid")


def test_document_list_pages_with_limit_and_offset(anonymous, cast, published, draft):
    others = [build_sample_version(cast.implementer, title=f"Framework {n}", domains=1) for n in range(3)]
    response = anonymous.get(f"{BASE}/CFDocuments", {"limit": 2, "offset": 1})
    assert response.status_code == 200
    assert response["X-Total-Count"] == "4"
    titles = [d["title"] for d in response.json()["CFDocuments"]]
    everything = sorted([published.title, *(o.title for o in others)])
    assert titles == everything[1:3]
    first = get_json(anonymous, f"{BASE}/CFDocuments")["CFDocuments"][0]
    assert first["CFPackageURI"]["uri"].endswith(f"/ims/case/v1p1/CFPackages/{first['identifier']}")
    assert get_json(anonymous, f"{BASE}/CFDocuments?limit=0", 400)["imsx_codeMajor"] == "failure"
    assert get_json(anonymous, f"{BASE}/CFDocuments?offset=-1", 400)["imsx_codeMajor"] == "failure"


def test_item_and_its_associations(anonymous, published):
    item = CompetencyItem.objects.get(version=published, code="D1.1")
    body = get_json(anonymous, f"{BASE}/CFItems/{item.uuid}")
    assert body["humanCodingScheme"] == "D1.1"
    assert body["CFDocumentURI"]["identifier"] == str(published.uuid)
    both = get_json(anonymous, f"{BASE}/CFItemAssociations/{item.uuid}")
    assert both["CFItem"]["identifier"] == str(item.uuid)
    kinds = sorted(
        (a["associationType"], a["originNodeURI"]["identifier"] == str(item.uuid))
        for a in both["CFAssociations"]
    )
    # its own parent link, its alignment, and its two children's parent links
    assert kinds == [("exactMatchOf", True), ("isChildOf", False), ("isChildOf", False), ("isChildOf", True)]


def test_associations_resolve_from_their_identifier(anonymous, published):
    item = CompetencyItem.objects.get(version=published, code="D1.X")
    child = get_json(anonymous, f"{BASE}/CFAssociations/{child_association_id(item.uuid)}")
    assert child["associationType"] == "isChildOf"
    assert child["destinationNodeURI"]["identifier"] == str(item.parent.uuid)
    second = get_json(anonymous, f"{BASE}/CFAssociations/{alignment_association_id(item.uuid, 1)}")
    assert second["destinationNodeURI"]["uri"] == item.alignments[1]
    assert_unknown(anonymous, f"{BASE}/CFAssociations/{alignment_association_id(item.uuid, 2)}")


def test_rubric_is_the_scale(anonymous, published):
    body = get_json(anonymous, f"{BASE}/CFRubrics/{rubric_id(published.uuid)}")
    levels = body["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [lv["quality"] for lv in levels] == list(
        published.levels.order_by("position").values_list("name", flat=True)
    )


def test_endpoints_are_read_only(anonymous, published):
    assert anonymous.post(f"{BASE}/CFPackages/{published.uuid}").status_code == 405


def test_package_endpoint_query_count_does_not_grow_with_the_framework(anonymous, cast):
    small = build_sample_version(cast.implementer, domains=2, competencies=2, indicators=1, title="Ten")
    large = build_sample_version(
        cast.implementer, domains=8, competencies=4, indicators=5, title="Two hundred"
    )
    assert (small.items.count(), large.items.count()) == (10, 200)
    counts = []
    for version in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert anonymous.get(f"{BASE}/CFPackages/{version.uuid}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 3
