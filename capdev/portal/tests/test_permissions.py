"""Permission matrix of the personal spaces and the run overview (joined with the global one)."""

from __future__ import annotations

import pytest

from tests.test_permission_matrix import ROLES

# url, expected status for: anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/my/learning/", "302 200 200 200 200 200 200"),
    ("/my/runs/", "302 403 403 403 200 403 403"),
    ("/participants/", "302 200 403 200 403 403 200"),
    ("/overview/runs/", "302 200 200 403 403 403 403"),
]

CASES = [
    (url, role, int(code)) for url, codes in MATRIX for role, code in zip(ROLES, codes.split(), strict=True)
]


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_portal_permissions(cast, world, url, role, expected):
    response = cast.client(None if role == "anon" else role).get(url)
    assert response.status_code == expected, f"{role} GET {url}: {response.status_code} != {expected}"
