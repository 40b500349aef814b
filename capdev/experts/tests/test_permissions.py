"""The permission matrix of every roster page and endpoint (see tests/test_permission_matrix.py).

Objects (conftest.py): `tina`, the trainer's own profile (deployed on activity A — `deployed` —
and invited to activity B — `invited`), with a CV and an availability `window`; `other`, an
expert without a login. The roster is for staff; an expert sees their own profile; steering
members see the statistics only; focal points see accepted deployments on their Actions.
The expert's calendar feed answers 404 without its token (no login redirect: calendar
applications have no session) and 200 with it, whoever asks.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capdev.core.testing import check_matrix_case, matrix_cases
from capdev.experts import services

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/experts/", "302 200 403 403 403 403 403"),
    ("/experts/?language=pt&min_level=B2&region=latin_america", "302 200 403 403 403 403 403"),
    ("/experts/new/", "302 200 403 403 403 403 403"),
    ("/experts/new/?q=novak", "302 200 403 403 403 403 403"),
    ("/experts/statistics/", "302 200 200 403 403 403 403"),
    ("/experts/invitations/", "302 200 200 200 200 200 200"),
    ("/experts/{tina}/", "302 200 404 404 200 404 404"),
    ("/experts/{other}/", "302 200 404 404 404 404 404"),
    ("/experts/{tina}/edit/", "302 200 404 404 200 404 404"),
    ("/experts/{other}/edit/", "302 200 404 404 404 404 404"),
    ("/experts/{tina}/cv/", "302 200 404 404 200 404 404"),
    ("/experts/{tina}/availability/", "302 405 405 405 405 405 405"),
    ("/experts/availability/{window}/delete/", "302 405 405 405 405 405 405"),
    ("/experts/{tina}/calendar.ics", "404 200 404 404 200 404 404"),
    ("/experts/{tina}/calendar.ics?token={token}", "200 200 200 200 200 200 200"),
    ("/experts/{other}/calendar.ics?token={token}", "404 404 404 404 404 404 404"),
    ("/experts/{tina}/calendar/reset/", "302 405 405 405 405 405 405"),
    ("/experts/deployments/{invited}/accept/", "302 405 405 405 405 405 405"),
    ("/experts/deployments/{invited}/decline/", "302 405 405 405 405 405 405"),
    ("/experts/deployments/{deployed}/withdraw/", "302 200 404 403 403 404 404"),
    ("/experts/deployments/{deployed}/feedback/", "302 200 404 403 403 404 404"),
    ("/experts/deployments/{invited}/feedback/", "302 200 404 404 403 404 404"),
    ("/api/v1/experts/", "403 200 403 403 403 403 403"),
    ("/api/v1/experts/{tina}/", "403 200 404 404 200 404 404"),
    ("/api/v1/experts/{other}/", "403 200 404 404 404 404 404"),
    ("/api/v1/deployments/", "403 200 200 200 200 200 200"),
    ("/api/v1/deployments/{deployed}/", "403 200 404 200 200 404 404"),
    ("/api/v1/deployments/{invited}/", "403 200 404 404 200 404 404"),
    ("/api/v1/deployments/{invited}/accept/", "403 405 405 405 405 405 405"),
]

CASES = matrix_cases(MATRIX)


@pytest.fixture
def objects(cast: Any, roster: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    services.attach_cv(roster.tina, actor=cast.staff, upload=SimpleUploadedFile("cv.pdf", PDF))
    window = services.add_availability(
        roster.tina,
        actor=cast.staff,
        start_date=datetime.date(2030, 1, 1),
        end_date=datetime.date(2030, 2, 1),
    )
    return {**roster.ids(), "window": window.pk, "token": services.feed_token(roster.tina)}


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_roster_permission_matrix(
    cast: Any, objects: dict[str, Any], url: str, role: str, expected: int
) -> None:
    check_matrix_case(cast, url, role, expected, **objects)
