"""The delivery pages as a client sees them: forms that call the services and show their
refusals on the field, the attendance sheet (htmx partial or redirect, presets, the gate, a
refusal that keeps what was chosen), constant queries for 5 or 40 participants, the timetable,
today, and the lists with their filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from capdev.cohorts.models import Enrolment, RunTrainer, TrainerRole
from capdev.delivery import services
from capdev.delivery.models import Attendance, Session
from capdev.delivery.tests.conftest import add_participants, add_session, days

pytestmark = pytest.mark.django_db


def html(response: Any) -> str:
    return response.content.decode()


# --- Planning ----------------------------------------------------------------------------------


def test_staff_plan_a_session_through_the_form(cast: Any, run: Any) -> None:
    lead = RunTrainer.objects.get(run=run)
    response = cast.client("staff").post(
        f"/runs/{run.pk}/sessions/new/",
        {
            "kind": "face_to_face",
            "title": "Day 1: the training cycle",
            "date": days(1).isoformat(),
            "start_time": "09:00",
            "end_time": "12:30",
            "timezone": "America/Sao_Paulo",
            "room": "Auditório",
            "trainers": [lead.pk],
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/"
    assert session.title == "Day 1: the training cycle" and list(session.trainers.all()) == [lead]


def test_a_refusal_of_the_service_is_shown_on_its_field(cast: Any, run: Any) -> None:
    response = cast.client("trainer").post(
        f"/runs/{run.pk}/sessions/new/",
        {
            "kind": "field_trip",
            "date": days(1).isoformat(),
            "start_time": "09:00",
            "end_time": "12:30",
            "timezone": "Europe/Amsterdam",
        },
    )
    assert response.status_code == 200
    assert 'id="id_destination_city_errors"' in html(response)
    assert "A field trip needs its destination city" in html(response)
    assert not Session.objects.exists()


def test_a_co_trainer_may_take_attendance_but_not_plan(cast: Any, run: Any) -> None:
    RunTrainer.objects.filter(run=run).update(role=TrainerRole.CO_TRAINER)
    session = add_session(run, cast.staff, days(0))
    client = cast.client("trainer")
    assert client.get(f"/runs/{run.pk}/sessions/new/").status_code == 403
    assert client.get(f"/sessions/{session.pk}/edit/").status_code == 403
    assert client.get(f"/sessions/{session.pk}/attendance/").status_code == 200


def test_edit_cancel_and_reinstate_through_the_pages(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(1), title="Day 2")
    client = cast.client("trainer")
    form = client.get(f"/sessions/{session.pk}/edit/")
    assert 'value="Day 2"' in html(form)
    response = client.post(
        f"/sessions/{session.pk}/edit/",
        {
            "kind": "face_to_face",
            "title": "Day 2 (moved)",
            "date": days(2).isoformat(),
            "start_time": "10:00",
            "end_time": "13:00",
            "timezone": "America/Sao_Paulo",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Day 2 (moved)" and session.date == days(2)
    assert client.post(f"/sessions/{session.pk}/cancel/", {"reason": ""}).status_code == 200
    client.post(f"/sessions/{session.pk}/cancel/", {"reason": "Teachers' strike"})
    session.refresh_from_db()
    assert session.cancelled
    detail = html(client.get(f"/sessions/{session.pk}/"))
    assert "This session was cancelled: Teachers&#x27; strike" in detail and "Reinstate the session" in detail
    client.post(f"/sessions/{session.pk}/reinstate/")
    session.refresh_from_db()
    assert not session.cancelled


def test_one_session_per_day_through_the_page(cast: Any, run: Any, world: Any) -> None:
    client = cast.client("staff")
    page = html(client.get(f"/runs/{run.pk}/sessions/daily/"))
    assert 'value="5"' in page  # the face-to-face part's days
    part = world.version.parts.get(kind="face_to_face")
    response = client.post(
        f"/runs/{run.pk}/sessions/daily/",
        {
            "part": part.pk,
            "first_day": run.start_date.isoformat(),
            "days": 5,
            "start_time": "09:00",
            "end_time": "17:00",
            "timezone": "America/Sao_Paulo",
        },
    )
    assert response.status_code == 302
    assert Session.objects.filter(run=run).count() == 5
    assert sorted(set(Session.objects.values_list("date", flat=True))) == [days(n) for n in range(-3, 2)]


# --- The attendance sheet ---------------------------------------------------------------------


def sheet_post(people: list[Enrolment], status: str = "present") -> dict[str, str]:
    data = {f"status-{e.pk}": status for e in people}
    data.update({f"note-{e.pk}": "" for e in people})
    return data


def test_the_sheet_lists_the_class_and_marks_those_the_gate_holds_back(cast: Any, run: Any) -> None:
    people = add_participants(run, 3)
    blocked = add_participants(run, 1, cleared=False, prefix="Pending")[0]
    session = add_session(run, cast.staff, days(0))
    page = html(cast.client("trainer").get(f"/sessions/{session.pk}/attendance/"))
    for e in people:
        assert f'name="status-{e.pk}"' in page
    assert "Online part not completed" in page
    assert f'id="status-{blocked.pk}-present" value="present" autocomplete="off" disabled' in page
    assert f'id="status-{people[0].pk}-present" value="present" autocomplete="off">' in page
    preset = html(cast.client("trainer").get(f"/sessions/{session.pk}/attendance/?preset=present"))
    assert f'id="status-{people[0].pk}-present" value="present" autocomplete="off" checked' in preset
    assert f'id="status-{blocked.pk}-present" value="present" autocomplete="off" checked' not in preset


def test_a_plain_post_saves_the_whole_class_then_redirects(cast: Any, run: Any) -> None:
    people = add_participants(run, 4)
    session = add_session(run, cast.staff, days(0))
    data = sheet_post(people)
    data[f"status-{people[1].pk}"] = "late"
    data[f"note-{people[1].pk}"] = "Traffic"
    response = cast.client("trainer").post(f"/sessions/{session.pk}/attendance/", data)
    assert response.status_code == 302 and response["Location"] == f"/sessions/{session.pk}/attendance/"
    marks = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert marks == {
        people[0].pk: "present",
        people[1].pk: "late",
        people[2].pk: "present",
        people[3].pk: "present",
    }
    assert Attendance.objects.get(enrolment=people[1]).note == "Traffic"


def test_an_htmx_post_gets_the_sheet_back(cast: Any, run: Any) -> None:
    people = add_participants(run, 2)
    session = add_session(run, cast.staff, days(0))
    response = cast.client("trainer").post(
        f"/sessions/{session.pk}/attendance/", sheet_post(people), HTTP_HX_REQUEST="true"
    )
    page = html(response)
    assert response.status_code == 200 and "<html" not in page
    assert 'id="attendance-sheet"' in page and "Attendance saved: 2 marked, 0 corrected, 0 unchanged." in page


def test_a_refused_save_keeps_what_was_chosen_and_saves_nothing(cast: Any, run: Any) -> None:
    people = add_participants(run, 2)
    blocked = add_participants(run, 1, cleared=False, prefix="Pending")[0]
    session = add_session(run, cast.staff, days(0))
    data = sheet_post([*people, blocked])
    data[f"status-{people[0].pk}"] = "absent"
    response = cast.client("trainer").post(
        f"/sessions/{session.pk}/attendance/", data, HTTP_HX_REQUEST="true"
    )
    page = html(response)
    assert "Pending00 Pendingson00 cannot be marked present or late" in page
    assert f'id="status-{people[0].pk}-absent" value="absent" autocomplete="off" checked' in page
    assert not Attendance.objects.exists()


def test_the_sheet_of_a_future_session_explains_when_it_opens(cast: Any, run: Any) -> None:
    (e,) = add_participants(run, 1)
    session = add_session(run, cast.staff, days(1))
    client = cast.client("trainer")
    page = html(client.get(f"/sessions/{session.pk}/attendance/"))
    assert "Attendance can be taken from the day of the session" in page
    assert "Save attendance</button>" not in page
    client.post(f"/sessions/{session.pk}/attendance/", sheet_post([e]))
    assert not Attendance.objects.exists()


def _sheet_queries(cast: Any, run: Any, n: int, day: int) -> tuple[int, int]:
    people = add_participants(run, n, prefix=f"Class{n}x")
    session = add_session(run, cast.staff, days(day))
    client = cast.client("trainer")
    client.get(f"/sessions/{session.pk}/attendance/")  # warm caches (roles, content types)
    with CaptureQueriesContext(connection) as read:
        assert client.get(f"/sessions/{session.pk}/attendance/").status_code == 200
    with CaptureQueriesContext(connection) as write:
        response = client.post(
            f"/sessions/{session.pk}/attendance/", sheet_post(people), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200 and Attendance.objects.filter(session=session).count() == n
    return len(read.captured_queries), len(write.captured_queries)


def test_the_sheet_reads_and_saves_with_the_same_queries_for_5_or_40(cast: Any, run: Any) -> None:
    small = _sheet_queries(cast, run, 5, -1)
    Enrolment.objects.filter(run=run).update(status="withdrawn")  # the next class is 40 new people
    large = _sheet_queries(cast, run, 40, 0)
    assert small == large, (small, large)


# --- Lists and other pages --------------------------------------------------------------------


def test_the_session_list_filters_and_counts_with_constant_queries(cast: Any, run: Any) -> None:
    add_session(run, cast.staff, days(-1), title="Day 1")
    add_session(run, cast.staff, days(1), title="Day 3")
    client = cast.client("staff")
    page = html(client.get(f"/runs/{run.pk}/sessions/?when=upcoming"))
    assert "Day 3" in page and "Day 1" not in page
    partial = client.get(f"/runs/{run.pk}/sessions/?q=Day", HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Day 1" in partial.content

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/runs/{run.pk}/sessions/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    lead = RunTrainer.objects.get(run=run)
    for n in range(10):
        add_session(
            run,
            cast.staff,
            days(2),
            f"{8 + n:02d}:00",
            f"{8 + n:02d}:45",
            title=f"Clinic {n}",
            trainers=[lead],
        )
    assert count() == before


def test_the_timetable_groups_sessions_by_day_with_the_calendar_link(cast: Any, run: Any) -> None:
    add_session(run, cast.staff, days(0), "09:00", "12:30", title="Morning")
    add_session(run, cast.staff, days(0), "14:00", "17:00", title="Afternoon")
    add_session(run, cast.staff, days(1), title="Next day")
    page = html(cast.client("participant").get(f"/runs/{run.pk}/timetable/"))
    assert page.count('class="timetable-day"') == 2
    assert page.index("Morning") < page.index("Afternoon") < page.index("Next day")
    assert f"/runs/{run.pk}/timetable/calendar.ics?token=" in page
    assert "Make a new link" not in page  # only staff and lead trainers revoke it


def test_today_lists_the_trainers_sessions_of_today_only(cast: Any, run: Any, world: Any) -> None:
    add_session(run, cast.staff, days(0), title="Today's session")
    add_session(run, cast.staff, days(1), title="Tomorrow's session")
    from capdev.delivery.tests.conftest import move_run

    other = move_run(world.run_b, days(-1), days(1))
    add_session(other, cast.staff, days(0), title="Someone else's", timezone="America/Costa_Rica")
    trainer_page = html(cast.client("trainer").get("/sessions/today/"))
    assert "Today&#x27;s session" in trainer_page and "Someone else" not in trainer_page
    assert "Tomorrow&#x27;s session" in trainer_page  # under "Next sessions"
    staff_page = html(cast.client("staff").get("/sessions/today/"))
    assert "Someone else" in staff_page


def test_the_attendance_list_is_scoped_and_filtered(cast: Any, run: Any, world: Any) -> None:
    Enrolment.objects.filter(pk=world.enrolment.pk).update(online_completed_at=timezone.now())
    others = add_participants(run, 2)
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(
        session,
        {world.enrolment.pk: "present", others[0].pk: "absent", others[1].pk: "late"},
        actor=cast.trainer,
    )
    focal = html(cast.client("focal").get("/attendance/"))
    assert "Paula Santos" in focal and "Learner00" not in focal  # only the focal point's organisation
    trainer = html(cast.client("trainer").get("/attendance/?status=absent"))
    assert "Learner00 Learnerson00" in trainer and "Paula Santos" not in trainer
    assert "Learner" not in html(cast.client("outsider").get("/attendance/"))


def test_the_summary_shows_each_mark_and_rate(cast: Any, run: Any) -> None:
    a, b = add_participants(run, 2)
    s1 = add_session(run, cast.staff, days(-1))
    services.mark_attendance(s1, {a.pk: "present", b.pk: "absent"}, actor=cast.trainer)
    page = html(cast.client("trainer").get(f"/runs/{run.pk}/sessions/attendance/"))
    assert '<span class="mark mark-present" title="Present">' in page
    assert '<span class="mark mark-absent" title="Absent">' in page
    assert "100 %" in page and "0 %" in page


def test_my_calendar_gives_a_personal_link_and_next_sessions(cast: Any, run: Any) -> None:
    add_session(run, cast.staff, days(1), title="Day 4")
    page = html(cast.client("participant").get("/calendar/"))
    assert f"/calendar/{cast.participant.person.pk}.ics?token=" in page and "Day 4" in page
    response = cast.client("participant").post("/calendar/reset/")
    assert response.status_code == 302


def test_the_attendance_list_and_today_run_constant_queries(cast: Any, run: Any) -> None:
    client = cast.client("trainer")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    people = add_participants(run, 3)
    first = add_session(run, cast.staff, days(0), "08:00", "08:30")
    services.mark_attendance(first, {e.pk: "present" for e in people}, actor=cast.trainer)
    before = count("/attendance/"), count("/sessions/today/")
    more = add_participants(run, 20, prefix="More")
    for hour in (9, 10, 11):
        session = add_session(run, cast.staff, days(0), f"{hour:02d}:00", f"{hour:02d}:30")
        services.mark_attendance(session, {e.pk: "late" for e in people + more}, actor=cast.trainer)
    assert (count("/attendance/"), count("/sessions/today/")) == before
