"""The permission matrix of every competency page and endpoint (see tests/test_permission_matrix.py).

Objects: framework `fw` of organisation A (the focal point's) with `published` v1 and a `draft` v2,
each with items (`p_item`, `d_item`); framework `fw_b` of organisation B (the outsider's) with
only a draft, `draft_b`, and its item `b_item`. Published versions are read by every logged-in
user; drafts by staff and the owner's focal points; publishing and retiring are for staff.
Expected status per role: 200 allowed, 403 visible but role too low, 404 outside the user's
scope, 302 anonymous → login (or, for an allowed user, a redirect away from a page that does
not apply: editing a published version), 405 a POST-only endpoint read with GET.
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.competencies import services
from capdev.competencies.tests.conftest import build_tree, item
from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/competencies/", "302 200 200 200 200 200 200"),
    ("/competencies/new/", "302 200 403 403 403 403 403"),
    ("/competencies/{fw}/", "302 200 200 200 200 200 200"),
    ("/competencies/{fw}/edit/", "302 200 403 200 403 403 403"),
    ("/competencies/{fw_b}/", "302 200 404 404 404 404 200"),
    ("/competencies/{fw_b}/edit/", "302 200 404 404 404 404 200"),
    ("/competencies/versions/{published}/", "302 200 200 200 200 200 200"),
    ("/competencies/versions/{draft}/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{draft_b}/", "302 200 404 404 404 404 200"),
    ("/competencies/versions/{draft}/edit/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{published}/edit/", "302 302 403 302 403 403 403"),
    ("/competencies/versions/{draft}/scale/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{published}/scale/", "302 302 403 302 403 403 403"),
    ("/competencies/versions/{draft}/publish/", "302 200 404 403 404 404 404"),
    ("/competencies/versions/{draft_b}/publish/", "302 200 404 404 404 404 403"),
    ("/competencies/versions/{published}/retire/", "302 200 403 403 403 403 403"),
    ("/competencies/versions/{published}/derive/", "302 302 403 302 403 403 403"),
    ("/competencies/versions/{draft}/discard/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{draft}/compare/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{published}/compare/", "302 200 200 200 200 200 200"),
    ("/competencies/versions/{draft}/items/new/", "302 200 404 200 404 404 404"),
    ("/competencies/versions/{published}/items/new/", "302 302 403 302 403 403 403"),
    ("/competencies/items/{d_item}/", "302 200 404 200 404 404 404"),
    ("/competencies/items/{p_item}/", "302 200 200 200 200 200 200"),
    ("/competencies/items/{d_item}/edit/", "302 200 404 200 404 404 404"),
    ("/competencies/items/{p_item}/edit/", "302 302 403 302 403 403 403"),
    ("/competencies/items/{b_item}/edit/", "302 200 404 404 404 404 200"),
    ("/competencies/items/{d_item}/move/", "302 405 404 405 404 404 404"),
    ("/competencies/items/{d_item}/delete/", "302 200 404 200 404 404 404"),
    ("/api/v1/frameworks/", "403 200 200 200 200 200 200"),
    ("/api/v1/frameworks/{fw}/", "403 200 200 200 200 200 200"),
    ("/api/v1/frameworks/{fw_b}/", "403 200 404 404 404 404 200"),
    ("/api/v1/framework-versions/", "403 200 200 200 200 200 200"),
    ("/api/v1/framework-versions/{published}/", "403 200 200 200 200 200 200"),
    ("/api/v1/framework-versions/{draft}/", "403 200 404 200 404 404 404"),
    ("/api/v1/framework-versions/{draft}/compare/?with={published}", "403 200 404 200 404 404 404"),
    ("/api/v1/competency-items/?version={published}", "403 200 200 200 200 200 200"),
    ("/api/v1/competency-items/{p_item}/", "403 200 200 200 200 200 200"),
    ("/api/v1/competency-items/{d_item}/", "403 200 404 200 404 404 404"),
    ("/api/v1/competency-scales/", "403 200 200 200 200 200 200"),
    ("/api/v1/competency-scales/{draft}/", "403 200 404 200 404 404 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.fixture
def objects(cast: Any) -> dict[str, int]:
    fw = services.create_framework(actor=cast.staff, title="Trainer competencies", owner=cast.org_a)
    v1 = fw.versions.get()
    build_tree(v1, cast.staff, domains=1, competencies=1, indicators=1)
    services.publish_version(v1, actor=cast.staff)
    v2 = services.derive_version(v1, actor=cast.staff)
    fw_b = services.create_framework(actor=cast.staff, title="Consular protection", owner=cast.org_b)
    draft_b = fw_b.versions.get()
    build_tree(draft_b, cast.staff, domains=1, competencies=1, indicators=0)
    return {
        "fw": fw.pk,
        "fw_b": fw_b.pk,
        "published": v1.pk,
        "draft": v2.pk,
        "draft_b": draft_b.pk,
        "p_item": item(v1, "D1.1").pk,
        "d_item": item(v2, "D1.1").pk,
        "b_item": item(draft_b, "D1.1").pk,
    }


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_competency_permission_matrix(cast, objects, url, role, expected):
    check_matrix_case(cast, url, role, expected, **objects)
