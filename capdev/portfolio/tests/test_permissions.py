"""The permission matrix of the portfolio dashboard and its exports (see
tests/test_permission_matrix.py).

Staff, steering-committee members and partner focal points see the dashboard (each scoped by the
actions app's visible_to); experts and participants get 403.
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/portfolio/", "302 200 200 200 403 403 200"),
    (
        "/portfolio/?year_from=2020&year_to=2023&region=latin_america&type=classic",
        "302 200 200 200 403 403 200",
    ),
    ("/portfolio/?year_from=nonsense&thematic_area=999", "302 200 200 200 403 403 200"),
    ("/portfolio/export.xlsx", "302 200 200 200 403 403 200"),
    ("/portfolio/export.xlsx?table=actions-by-phase", "302 200 200 200 403 403 200"),
    ("/portfolio/export.csv?table=requests-by-status", "302 200 200 200 403 403 200"),
    ("/portfolio/export.csv", "302 404 404 404 403 403 404"),
    ("/portfolio/export.csv?table=nonsense", "302 404 404 404 403 403 404"),
    ("/portfolio/export.pdf", "302 404 404 404 404 404 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_permission_matrix(cast: Any, url: str, role: str, expected: int) -> None:
    check_matrix_case(cast, url, role, expected)
