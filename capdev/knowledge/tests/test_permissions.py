"""The permission matrix of every knowledge-base page and endpoint (see
tests/test_permission_matrix.py; objects from `kb` in conftest.py).

Everyone logged in reads published lessons; drafts exist only for staff (404 for others);
only staff write, publish and unpublish (403 for others, 404 on a draft they cannot see).
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/knowledge/", "302 200 200 200 200 200 200"),
    ("/knowledge/?q=pilot&kind=lesson", "302 200 200 200 200 200 200"),
    ("/knowledge/?action={action_b}", "302 200 200 200 200 200 200"),
    ("/knowledge/new/", "302 200 403 403 403 403 403"),
    ("/knowledge/actions/?action_q=bra", "302 200 403 403 403 403 403"),
    ("/knowledge/{lesson}/", "302 200 200 200 200 200 200"),
    ("/knowledge/{draft}/", "302 200 404 404 404 404 404"),
    ("/knowledge/{lesson}/edit/", "302 200 403 403 403 403 403"),
    ("/knowledge/{draft}/edit/", "302 200 404 404 404 404 404"),
    ("/knowledge/{draft}/publish/", "302 200 404 404 404 404 404"),
    ("/knowledge/{lesson}/unpublish/", "302 200 403 403 403 403 403"),
    ("/knowledge/{lesson}/publish/", "302 200 403 403 403 403 403"),
    ("/api/v1/lessons/", "403 200 200 200 200 200 200"),
    ("/api/v1/lessons/?q=pilot", "403 200 200 200 200 200 200"),
    ("/api/v1/lessons/{lesson}/", "403 200 200 200 200 200 200"),
    ("/api/v1/lessons/{draft}/", "403 200 404 404 404 404 404"),
    ("/api/v1/tags/", "403 200 200 200 200 200 200"),
]

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_permission_matrix(cast: Any, kb: Any, url: str, role: str, expected: int) -> None:
    check_matrix_case(cast, url, role, expected, **kb.ids())
