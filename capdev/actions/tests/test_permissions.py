"""The permission matrix of every request and Action page and endpoint (see
tests/test_permission_matrix.py; objects from `world` in conftest.py).

Focal points (org A) see their organisation's requests and Actions, the outsider (org B) theirs;
steering members see every Action and the requests put before the committee; experts the Actions
they are deployed on (without budgets); participants none. Expected: 200 allowed, 403 visible
but role too low, 404 outside the user's scope, 302 anonymous → login.
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/requests/", "302 200 200 200 403 403 200"),
    ("/requests/?status=submitted&year=2020", "302 200 200 200 403 403 200"),
    ("/requests/new/", "302 200 403 200 403 403 200"),
    ("/requests/queue/", "302 200 200 403 403 403 403"),
    ("/requests/specific-areas/?thematic_area=1", "302 200 403 200 403 403 200"),
    ("/requests/organisations/?q=defensoria", "302 200 403 200 403 403 200"),
    ("/requests/eligibility/", "302 200 403 403 403 403 403"),
    ("/requests/eligibility/BR/remove/", "302 200 403 403 403 403 403"),
    ("/requests/{req_received}/", "302 200 404 200 404 404 404"),
    ("/requests/{req_submitted}/", "302 200 200 200 404 404 404"),
    ("/requests/{req_b}/", "302 200 404 404 404 404 200"),
    ("/requests/{req_received}/edit/", "302 200 404 200 404 404 404"),
    ("/requests/{req_submitted}/edit/", "302 403 403 403 404 404 404"),
    ("/requests/{req_received}/attachments/{attachment}/", "302 200 404 200 404 404 404"),
    ("/requests/{req_received}/analyse/", "302 200 404 403 404 404 404"),
    ("/requests/{req_received}/submit/", "302 200 404 403 404 404 404"),
    ("/requests/{req_submitted}/approve/", "302 403 200 403 404 404 404"),
    ("/requests/{req_submitted}/reject/", "302 403 200 403 404 404 404"),
    ("/requests/{req_received}/withdraw/", "302 200 404 200 404 404 404"),
    ("/requests/{req_b}/withdraw/", "302 200 404 404 404 404 200"),
    ("/requests/{req_received}/nonsense/", "302 404 404 404 404 404 404"),
    ("/actions/", "302 200 200 200 200 403 200"),
    ("/actions/?phase=implementation&year=2022&q=brazil", "302 200 200 200 200 403 200"),
    ("/actions/{action_a}/", "302 200 200 200 200 404 404"),
    ("/actions/{action_b}/", "302 200 200 404 404 404 200"),
    ("/actions/{action_a}/edit/", "302 200 403 200 403 404 404"),
    ("/actions/{action_b}/edit/", "302 200 403 404 404 404 200"),
    ("/actions/{action_a}/phase/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/partners/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/timeline/", "302 200 200 200 200 404 404"),
    ("/actions/{action_a}/budget/", "302 200 200 200 403 404 404"),
    ("/actions/{action_b}/budget/", "302 200 200 404 404 404 200"),
    ("/actions/{action_a}/budget/lines/new/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/budget/lines/{line}/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/budget/lines/{line}/remove/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/budget/funders/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/deliverables/new/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/deliverables/{deliverable}/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/deliverables/{deliverable}/file/", "302 200 200 200 200 404 404"),
    ("/actions/{action_a}/mou/", "302 200 403 403 403 404 404"),
    ("/actions/{action_a}/mou/file/", "302 200 200 200 403 404 404"),
    ("/api/v1/requests/", "403 200 200 200 403 403 200"),
    ("/api/v1/requests/{req_received}/", "403 200 404 200 404 404 404"),
    ("/api/v1/requests/{req_submitted}/", "403 200 200 200 404 404 404"),
    ("/api/v1/actions/", "403 200 200 200 200 403 200"),
    ("/api/v1/actions/{action_a}/", "403 200 200 200 200 404 404"),
    ("/api/v1/actions/{action_b}/", "403 200 200 404 404 404 200"),
    ("/api/v1/deliverables/", "403 200 200 200 200 403 200"),
    ("/api/v1/deliverables/{deliverable}/", "403 200 200 200 200 404 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_permission_matrix(cast: Any, world: Any, url: str, role: str, expected: int) -> None:
    check_matrix_case(cast, url, role, expected, **world.ids())
