"""Permission matrix of the exchange pages and the public CASE endpoints (format of
tests/test_permission_matrix.py; the project-wide coverage test collects this MATRIX).

The published version belongs to the implementing organisation; the draft to organisation A, so
A's focal point may see (and download) it while other non-staff users get 404. CASE endpoints are
public: published → 200 for everyone, anonymous included; drafts → 404 for everyone.
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.competencies.exchange.case import child_association_id, rubric_id
from capdev.competencies.exchange.samples import build_sample_version
from capdev.competencies.models import VersionStatus
from capdev.core.testing import check_matrix_case, matrix_cases

pytestmark = [pytest.mark.django_db]

ALL_200 = "200 200 200 200 200 200 200"
ALL_404 = "404 404 404 404 404 404 404"
CASE = "/ims/case/v1p1"

# url template, expected status for:       anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/competencies/exchange/", "302 200 200 200 200 200 200"),
    ("/competencies/exchange/import/", "302 200 403 403 403 403 403"),
    ("/competencies/exchange/versions/{published}/case.json", "302 200 200 200 200 200 200"),
    ("/competencies/exchange/versions/{published}/moodle.csv", "302 200 200 200 200 200 200"),
    ("/competencies/exchange/versions/{draft}/case.json", "302 200 404 200 404 404 404"),
    ("/competencies/exchange/versions/{draft}/moodle.csv", "302 200 404 200 404 404 404"),
    (f"{CASE}/CFDocuments", ALL_200),
    (f"{CASE}/CFDocuments/{{published_uuid}}", ALL_200),
    (f"{CASE}/CFDocuments/{{draft_uuid}}", ALL_404),
    (f"{CASE}/CFPackages/{{published_uuid}}", ALL_200),
    (f"{CASE}/CFPackages/{{draft_uuid}}", ALL_404),
    (f"{CASE}/CFItems/{{item_uuid}}", ALL_200),
    (f"{CASE}/CFItems/{{draft_item_uuid}}", ALL_404),
    (f"{CASE}/CFAssociations/{{association_uuid}}", ALL_200),
    (f"{CASE}/CFItemAssociations/{{item_uuid}}", ALL_200),
    (f"{CASE}/CFRubrics/{{rubric_uuid}}", ALL_200),
    (f"{CASE}/CFRubrics/{{draft_rubric_uuid}}", ALL_404),
]

CASES = matrix_cases(MATRIX)


@pytest.fixture
def objects(cast: Any) -> dict[str, Any]:
    published = build_sample_version(cast.implementer, domains=1, competencies=1, indicators=1)
    draft = build_sample_version(
        cast.org_a, domains=1, competencies=1, status=VersionStatus.DRAFT, title="Draft"
    )
    item = published.items.get(code="D1.1")
    return {
        "published": published.pk,
        "draft": draft.pk,
        "published_uuid": published.uuid,
        "draft_uuid": draft.uuid,
        "item_uuid": item.uuid,
        "draft_item_uuid": draft.items.get(code="D1").uuid,
        "association_uuid": child_association_id(item.uuid),
        "rubric_uuid": rubric_id(published.uuid),
        "draft_rubric_uuid": rubric_id(draft.uuid),
    }


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_exchange_permission_matrix(cast, objects, url, role, expected):
    check_matrix_case(cast, url, role, expected, **objects)
