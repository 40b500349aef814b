"""Test helpers shared by every app's tests (permission matrices)."""

from __future__ import annotations

from typing import Any

ROLES = ["anon", "staff", "steering", "focal", "trainer", "participant", "outsider"]


def matrix_cases(matrix: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Expand `[(url template, "302 200 ... one code per ROLES entry"), ...]` into test cases."""
    return [
        (url, role, int(code))
        for url, codes in matrix
        for role, code in zip(ROLES, codes.split(), strict=True)
    ]


def check_matrix_case(cast: Any, url: str, role: str, expected: int, **objects: Any) -> None:
    """GET `url` (formatted with `objects`) as `role` and assert the status code."""
    client = cast.client(None if role == "anon" else role)
    target = url.format(**objects)
    response = client.get(target)
    assert response.status_code == expected, f"{role} GET {target}: {response.status_code} != {expected}"
    if expected == 302 and role == "anon" and not url.startswith(("/admin/", "/api/")):
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
