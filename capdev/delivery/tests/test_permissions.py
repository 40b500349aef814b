"""The permission matrix of every sessions, timetable, attendance and calendar page and endpoint
(see tests/test_permission_matrix.py).

Objects: run A (org A's, trained by the cast's trainer — a lead trainer — with the cast's
participant enrolled) and run B (org B's, the outsider's), both under way; a session in each
today (`s_a`, `s_b`); the participant's mark at `s_a`. Sessions are seen by whoever sees the run;
planning them is for staff and the run's lead trainers; attendance for staff and the run's
trainers; marks are seen by whoever sees the enrolment. Calendar feeds answer 404 without their
token (no login redirect: calendar applications have no session), 200 with it, whoever asks.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from capdev.core.testing import check_matrix_case, matrix_cases
from capdev.delivery import services
from capdev.delivery.tests.conftest import add_session, days, move_run

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/runs/{run_a}/sessions/", "302 200 200 200 200 200 404"),
    ("/runs/{run_a}/sessions/?when=upcoming&kind=face_to_face&q=Day", "302 200 200 200 200 200 404"),
    ("/runs/{run_b}/sessions/", "302 200 200 404 404 404 200"),
    ("/runs/{run_a}/sessions/new/", "302 200 403 403 200 403 404"),
    ("/runs/{run_a}/sessions/daily/", "302 200 403 403 200 403 404"),
    ("/runs/{run_a}/sessions/attendance/", "302 200 403 403 200 403 404"),
    ("/runs/{run_b}/sessions/attendance/", "302 200 403 404 404 404 403"),
    ("/runs/{run_a}/timetable/", "302 200 200 200 200 200 404"),
    ("/runs/{run_a}/timetable/calendar.ics", "404 200 200 200 200 200 404"),
    ("/runs/{run_a}/timetable/calendar.ics?token={run_token}", "200 200 200 200 200 200 200"),
    ("/runs/{run_b}/timetable/calendar.ics?token={run_token}", "404 404 404 404 404 404 404"),
    ("/runs/{run_a}/timetable/calendar/reset/", "302 405 405 405 405 405 405"),
    ("/sessions/today/", "302 200 403 403 200 403 403"),
    ("/sessions/{s_a}/", "302 200 200 200 200 200 404"),
    ("/sessions/{s_b}/", "302 200 200 404 404 404 200"),
    ("/sessions/{s_a}/edit/", "302 200 403 403 200 403 404"),
    ("/sessions/{s_b}/edit/", "302 200 403 404 404 404 403"),
    ("/sessions/{s_a}/cancel/", "302 200 403 403 200 403 404"),
    ("/sessions/{s_a}/reinstate/", "302 405 405 405 405 405 405"),
    ("/sessions/{s_a}/attendance/", "302 200 403 403 200 403 404"),
    ("/sessions/{s_a}/attendance/?preset=present", "302 200 403 403 200 403 404"),
    ("/sessions/{s_b}/attendance/", "302 200 403 404 404 404 403"),
    ("/sessions/{s_a}/sign-in-sheet.pdf", "302 200 403 403 200 403 404"),
    ("/attendance/", "302 200 403 200 200 403 200"),
    ("/attendance/?status=present&kind=face_to_face&q=Paula", "302 200 403 200 200 403 200"),
    ("/calendar/", "302 200 200 200 200 200 200"),
    ("/calendar/reset/", "302 405 405 405 405 405 405"),
    ("/calendar/{participant_person}.ics", "404 404 404 404 404 200 404"),
    ("/calendar/{participant_person}.ics?token={person_token}", "200 200 200 200 200 200 200"),
    ("/calendar/{person_a}.ics?token={person_token}", "404 404 404 404 404 404 404"),
    ("/api/v1/sessions/", "403 200 200 200 200 200 200"),
    ("/api/v1/sessions/?run={run_a}&when=upcoming", "403 200 200 200 200 200 200"),
    ("/api/v1/sessions/{s_a}/", "403 200 200 200 200 200 404"),
    ("/api/v1/sessions/{s_a}/attendance/", "403 200 403 403 200 403 404"),
    ("/api/v1/sessions/{s_a}/cancel/", "403 405 405 405 405 405 405"),
    ("/api/v1/attendance/", "403 200 200 200 200 200 200"),
    ("/api/v1/attendance/?run={run_a}&status=present", "403 200 200 200 200 200 200"),
    ("/api/v1/attendance/{mark}/", "403 200 404 200 200 200 404"),
]

CASES = matrix_cases(MATRIX)


@pytest.fixture
def objects(cast: Any, world: Any) -> dict[str, Any]:
    run_a = move_run(world.run_a, days(-2), days(2))
    run_b = move_run(world.run_b, days(-2), days(2))
    s_a = add_session(run_a, cast.staff, days(0), title="Day 3")
    s_b = add_session(run_b, cast.staff, days(0), timezone="America/Costa_Rica")
    world.enrolment.online_completed_at = timezone.now()
    world.enrolment.save()
    services.mark_attendance(s_a, {world.enrolment.pk: "present"}, actor=cast.trainer)
    return {
        "run_a": run_a.pk,
        "run_b": run_b.pk,
        "s_a": s_a.pk,
        "s_b": s_b.pk,
        "mark": s_a.attendances.get().pk,
        "run_token": services.run_feed_token(run_a),
        "person_token": services.personal_feed_token(cast.participant.person),
        "participant_person": cast.participant.person.pk,
        "person_a": cast.person_a.pk,
    }


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_delivery_permission_matrix(
    cast: Any, objects: dict[str, Any], url: str, role: str, expected: int
) -> None:
    check_matrix_case(cast, url, role, expected, **objects)
