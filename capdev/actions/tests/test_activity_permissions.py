"""The permission matrix of every activity page and endpoint (see tests/test_permission_matrix.py).

Objects (capdev/experts/tests/conftest.py): `activity_a` in Action A (partner: the focal point's
organisation; the trainer holds an accepted deployment on it), `activity_b` in Action B
(partner: the outsider's organisation; the trainer is only invited). Staff and steering members
see every activity; focal points those of their Actions; experts only those they are deployed
to. Planning and matching are for staff. Expected: 200 allowed, 403 visible but role too low,
404 outside the user's scope, 302 anonymous → login, 405 a POST-only endpoint read with GET.
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.core.testing import check_matrix_case, matrix_cases
from capdev.experts.tests.conftest import roster  # noqa: F401

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/activities/", "302 200 200 200 200 403 200"),
    ("/activities/?type=tot&year=2022", "302 200 200 200 200 403 200"),
    ("/activities/calendar/", "302 200 200 200 200 403 200"),
    ("/activities/calendar/?month=2022-07", "302 200 200 200 200 403 200"),
    ("/activities/{activity_a}/", "302 200 200 200 200 404 404"),
    ("/activities/{activity_b}/", "302 200 200 404 404 404 200"),
    ("/activities/{activity_a}/edit/", "302 200 403 403 403 404 404"),
    ("/activities/{activity_b}/edit/", "302 200 403 404 404 404 403"),
    ("/activities/{activity_a}/cancel/", "302 200 403 403 403 404 404"),
    ("/activities/{activity_a}/complete/", "302 200 403 403 403 404 404"),
    ("/activities/{activity_a}/matching/", "302 200 403 403 403 404 404"),
    ("/activities/{activity_a}/invite/", "302 405 405 405 405 405 405"),
    ("/actions/{action_a}/activities/new/", "302 200 403 403 403 404 404"),
    ("/actions/{action_b}/activities/new/", "302 200 403 404 404 404 403"),
    ("/actions/{action_a}/calendar.ics", "302 200 200 200 200 404 404"),
    ("/actions/{action_b}/calendar.ics", "302 200 200 404 404 404 200"),
    ("/api/v1/activities/", "403 200 200 200 200 403 200"),
    ("/api/v1/activities/{activity_a}/", "403 200 200 200 200 404 404"),
    ("/api/v1/activities/{activity_b}/", "403 200 200 404 404 404 200"),
    ("/api/v1/activities/{activity_a}/shortlist/", "403 200 403 403 403 404 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_activity_permission_matrix(cast: Any, roster: Any, url: str, role: str, expected: int) -> None:  # noqa: F811
    check_matrix_case(cast, url, role, expected, **roster.ids())
