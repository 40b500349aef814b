"""One parametrised permission matrix over every URL and role (STYLE.md).

Expected status per role: 200 allowed, 403 visible but role too low, 404 outside the user's
scope, 302 anonymous → login. Object placeholders are resolved against the standing cast.
"""

from __future__ import annotations

import pytest

ROLES = ["anon", "staff", "steering", "focal", "trainer", "participant", "outsider"]

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/dashboard/", "302 200 200 200 200 200 200"),
    ("/organisations/", "302 200 200 200 403 403 200"),
    ("/organisations/new/", "302 200 403 403 403 403 403"),
    ("/organisations/{org_a}/", "302 200 200 200 404 200 404"),
    ("/organisations/{org_a}/edit/", "302 200 403 200 404 403 404"),
    ("/organisations/{org_b}/", "302 200 200 404 404 404 200"),
    ("/people/", "302 200 403 200 403 403 200"),
    ("/people/new/", "302 200 403 200 403 403 200"),
    ("/people/{person_a}/", "302 200 404 200 404 404 404"),
    ("/people/{person_a}/edit/", "302 200 404 200 404 404 404"),
    ("/people/{person_a}/export/", "302 200 404 403 404 404 404"),
    ("/people/{person_a}/erase/", "302 200 404 403 404 404 404"),
    ("/people/{participant_person}/", "302 200 404 200 404 200 404"),
    ("/people/{participant_person}/edit/", "302 200 404 200 404 200 404"),
    ("/people/{participant_person}/export/", "302 200 404 403 404 200 404"),
    ("/people/{participant_person}/erase/", "302 200 404 403 404 403 404"),
    ("/accounts/password/change/", "302 200 200 200 200 200 200"),
    ("/admin/", "302 200 302 302 302 302 302"),
    ("/admin/reference/country/", "302 200 302 302 302 302 302"),
    ("/api/v1/organisations/", "403 200 200 200 403 403 200"),
    ("/api/v1/organisations/{org_a}/", "403 200 200 200 404 200 404"),
    ("/api/v1/people/", "403 200 403 200 403 403 200"),
    ("/api/v1/people/{person_a}/", "403 200 404 200 404 404 404"),
    ("/api/v1/countries/", "403 200 200 200 200 200 200"),
    ("/api/v1/schema/", "200 200 200 200 200 200 200"),
]

CASES = [
    (url, role, int(code)) for url, codes in MATRIX for role, code in zip(ROLES, codes.split(), strict=True)
]


def _resolve(url: str, cast) -> str:
    return url.format(
        org_a=cast.org_a.pk,
        org_b=cast.org_b.pk,
        person_a=cast.person_a.pk,
        participant_person=cast.participant.person.pk,
    )


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_permission_matrix(cast, url, role, expected):
    client = cast.client(None if role == "anon" else role)
    response = client.get(_resolve(url, cast))
    assert response.status_code == expected, f"{role} GET {url}: {response.status_code} != {expected}"
    if expected == 302 and role == "anon" and not url.startswith("/admin/"):
        assert response["Location"].startswith("/accounts/login/")


def all_matrices() -> list[tuple[str, str]]:
    """This matrix plus every app's `capdev/<app>/tests/test_permissions.py` MATRIX."""
    from importlib import import_module
    from pathlib import Path

    rows = list(MATRIX)
    root = Path(__file__).resolve().parent.parent / "capdev"
    for path in sorted(root.glob("*/tests/test_*permissions.py")):
        rows += import_module(f"capdev.{path.parent.parent.name}.tests.{path.stem}").MATRIX
    return rows


def test_every_url_pattern_is_in_a_matrix():
    """A new page must be added to a permission matrix: compare against the URL resolver."""
    from django.urls import get_resolver

    covered = {url.split("{")[0].rstrip("/") for url, _ in all_matrices()}
    missing = []

    def walk(patterns, prefix=""):
        for p in patterns:
            route = prefix + str(p.pattern)
            if hasattr(p, "url_patterns"):
                if route.startswith(("admin/", "i18n/")):
                    continue
                walk(p.url_patterns, route)
            else:
                if route.startswith(("api/v1/", "i18n/")) or route in ("", "^$"):
                    continue
                if route.startswith("accounts/") and "password/change" not in route:
                    continue  # login/logout/reset are public by design
                static = "/" + route.split("<")[0].rstrip("/")
                if not any(
                    static == c or static.startswith(c + "/") or c.startswith(static) for c in covered
                ):
                    missing.append(route)

    walk(get_resolver().url_patterns)
    assert not missing, f"URLs missing from the permission matrix: {missing}"
