"""The delivery sections of the run page ("Sessions") and of the enrolment page ("Attendance"):
what they show to whom, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capdev.cohorts.panels import panels_for_enrolment, panels_for_run
from capdev.delivery import services
from capdev.delivery.tests.conftest import add_participants, add_session, days

pytestmark = pytest.mark.django_db


def request_as(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return request


def render(panel: Any, request: Any, **objects: Any) -> str:
    return render_to_string(panel.template, {**panel.context, "request": request, **objects}, request=request)


def sessions_panel(user: Any, run: Any) -> Any:
    return next(p for p in panels_for_run(request_as(user), run) if p.key == "sessions")


def test_the_run_panel_shows_next_and_latest_sessions(cast: Any, run: Any) -> None:
    (e,) = add_participants(run, 1)
    past = add_session(run, cast.staff, days(-1), title="Day 1")
    add_session(run, cast.staff, days(1), title="Day 3")
    services.mark_attendance(past, {e.pk: "present"}, actor=cast.trainer)
    panel = sessions_panel(cast.trainer, run)
    assert panel.title == "Sessions" and panel.action[1] == f"/runs/{run.pk}/sessions/"
    html = render(panel, request_as(cast.trainer), run=run)
    assert "Day 3" in html and "Day 1" in html
    assert f"/sessions/{past.pk}/attendance/" in html and "Attendance (1 mark)" in html
    assert f"/runs/{run.pk}/timetable/" in html
    participant_html = render(sessions_panel(cast.participant, run), request_as(cast.participant), run=run)
    assert "/attendance/" not in participant_html and "Add a session" not in participant_html


def test_the_run_panel_runs_constant_queries(cast: Any, run: Any) -> None:
    add_session(run, cast.staff, days(-1))
    add_session(run, cast.staff, days(1))  # both lists have rows (each has its trainers prefetched)

    def count() -> int:
        user = type(cast.staff).objects.get(pk=cast.staff.pk)
        with CaptureQueriesContext(connection) as ctx:
            sessions_panel(user, run)
        return len(ctx.captured_queries)

    before = count()
    for n in range(8):
        add_session(run, cast.staff, days(n % 3 - 1), f"{10 + n:02d}:00", f"{10 + n:02d}:30")
    assert count() == before


def test_the_enrolment_panel_shows_each_mark_and_the_rate(cast: Any, run: Any, world: Any) -> None:
    world.enrolment.online_completed_at = timezone.now()
    world.enrolment.save()
    s1 = add_session(run, cast.staff, days(-2), title="Day 1")
    s2 = add_session(run, cast.staff, days(-1), title="Day 2")
    add_session(run, cast.staff, days(1), title="Day 4")
    services.mark_attendance(s1, {world.enrolment.pk: ("excused", "Court hearing")}, actor=cast.trainer)
    services.mark_attendance(s2, {world.enrolment.pk: "present"}, actor=cast.trainer)
    world.enrolment.refresh_from_db()
    (panel,) = [
        p
        for p in panels_for_enrolment(request_as(cast.participant), world.enrolment)
        if p.key == "attendance"
    ]
    html = render(panel, request_as(cast.participant), enrolment=world.enrolment)
    assert "Attendance rate: <strong>100 %</strong> (1 of 1 sessions counted)." in html
    assert "Excused" in html and "Court hearing" in html and "Present" in html and "Ahead" in html
