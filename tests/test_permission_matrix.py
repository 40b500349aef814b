"""One parametrised permission matrix over every URL and role (STYLE.md).

Expected status per role: 200 allowed, 403 visible but role too low, 404 outside the user's
scope, 302 anonymous → login. Object placeholders are resolved against the standing cast.
"""

from __future__ import annotations

import pytest

ROLES = ["anon", "staff", "steering", "focal", "trainer", "participant", "outsider"]

# url template, {role: expected status}
MATRIX: list[tuple[str, dict[str, int]]] = [
    ("/dashboard/", dict(anon=302, staff=200, steering=200, focal=200, trainer=200, participant=200, outsider=200)),
    ("/organisations/", dict(anon=302, staff=200, steering=200, focal=200, trainer=403, participant=403, outsider=200)),
    ("/organisations/new/", dict(anon=302, staff=200, steering=403, focal=403, trainer=403, participant=403, outsider=403)),
    ("/organisations/{org_a}/", dict(anon=302, staff=200, steering=200, focal=200, trainer=404, participant=200, outsider=404)),
    ("/organisations/{org_a}/edit/", dict(anon=302, staff=200, steering=403, focal=200, trainer=404, participant=403, outsider=404)),
    ("/organisations/{org_b}/", dict(anon=302, staff=200, steering=200, focal=404, trainer=404, participant=404, outsider=200)),
    ("/people/", dict(anon=302, staff=200, steering=403, focal=200, trainer=403, participant=403, outsider=200)),
    ("/people/new/", dict(anon=302, staff=200, steering=403, focal=200, trainer=403, participant=403, outsider=200)),
    ("/people/{person_a}/", dict(anon=302, staff=200, steering=404, focal=200, trainer=404, participant=404, outsider=404)),
    ("/people/{person_a}/edit/", dict(anon=302, staff=200, steering=404, focal=200, trainer=404, participant=404, outsider=404)),
    ("/people/{person_a}/export/", dict(anon=302, staff=200, steering=404, focal=403, trainer=404, participant=404, outsider=404)),
    ("/people/{person_a}/erase/", dict(anon=302, staff=200, steering=404, focal=403, trainer=404, participant=404, outsider=404)),
    ("/people/{participant_person}/", dict(anon=302, staff=200, steering=404, focal=200, trainer=404, participant=200, outsider=404)),
    ("/people/{participant_person}/edit/", dict(anon=302, staff=200, steering=404, focal=200, trainer=404, participant=200, outsider=404)),
    ("/people/{participant_person}/export/", dict(anon=302, staff=200, steering=404, focal=403, trainer=404, participant=200, outsider=404)),
    ("/people/{participant_person}/erase/", dict(anon=302, staff=200, steering=404, focal=403, trainer=404, participant=403, outsider=404)),
    ("/accounts/password/change/", dict(anon=302, staff=200, steering=200, focal=200, trainer=200, participant=200, outsider=200)),
    ("/admin/", dict(anon=302, staff=200, steering=302, focal=302, trainer=302, participant=302, outsider=302)),
    ("/admin/reference/country/", dict(anon=302, staff=200, steering=302, focal=302, trainer=302, participant=302, outsider=302)),
    ("/api/v1/organisations/", dict(anon=403, staff=200, steering=200, focal=200, trainer=403, participant=403, outsider=200)),
    ("/api/v1/organisations/{org_a}/", dict(anon=403, staff=200, steering=200, focal=200, trainer=404, participant=200, outsider=404)),
    ("/api/v1/people/", dict(anon=403, staff=200, steering=403, focal=200, trainer=403, participant=403, outsider=200)),
    ("/api/v1/people/{person_a}/", dict(anon=403, staff=200, steering=404, focal=200, trainer=404, participant=404, outsider=404)),
    ("/api/v1/countries/", dict(anon=403, staff=200, steering=200, focal=200, trainer=200, participant=200, outsider=200)),
    ("/api/v1/schema/", dict(anon=200, staff=200, steering=200, focal=200, trainer=200, participant=200, outsider=200)),
]

CASES = [(url, role, expected[role]) for url, expected in MATRIX for role in ROLES]


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


def test_every_url_pattern_is_in_the_matrix():
    """A new page must be added to the matrix: compare against the URL resolver."""
    from django.urls import get_resolver

    covered = {url.split("{")[0].rstrip("/") for url, _ in MATRIX}
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
                if not any(static == c or static.startswith(c + "/") or c.startswith(static) for c in covered):
                    missing.append(route)

    walk(get_resolver().url_patterns)
    assert not missing, f"URLs missing from the permission matrix: {missing}"
