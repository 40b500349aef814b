"""The REST API: sessions (filters, writes through the services for staff and lead trainers,
refusals as JSON), the bulk marking of a whole class in one request (the gate as a 400 naming
the participants, a cancelled session as a 409), attendance marks scoped like the pages, and the
OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.cohorts.models import RunTrainer, TrainerRole
from capdev.delivery import services
from capdev.delivery.models import Attendance, Session
from capdev.delivery.tests.conftest import add_participants, add_session, days

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_sessions_are_listed_and_filtered(cast: Any, run: Any, world: Any) -> None:
    add_session(run, cast.staff, days(-1), title="Day 1")
    add_session(run, cast.staff, days(1), title="Day 3")
    client = cast.client("participant")
    titles = [s["title"] for s in client.get(f"{API}/sessions/").json()["results"]]
    assert titles == ["Day 1", "Day 3"]
    upcoming = client.get(f"{API}/sessions/?when=upcoming&run={run.pk}").json()["results"]
    assert [s["title"] for s in upcoming] == ["Day 3"]
    assert upcoming[0]["timezone"] == "America/Sao_Paulo" and upcoming[0]["start_time"] == "09:00:00"
    assert cast.client("outsider").get(f"{API}/sessions/").json()["count"] == 0


def test_staff_and_lead_trainers_plan_sessions_through_the_api(cast: Any, run: Any) -> None:
    lead = RunTrainer.objects.get(run=run)
    payload = {
        "run": run.pk,
        "kind": "face_to_face",
        "title": "Day 2",
        "date": days(1).isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "trainers": [lead.pk],
    }
    response = post(cast.client("trainer"), f"{API}/sessions/", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["title"] == "Day 2" and body["timezone"] == "America/Sao_Paulo" and body["trainers"] == [lead.pk]
    )
    session = Session.objects.get(pk=body["id"])

    change = cast.client("trainer").patch(
        f"{API}/sessions/{session.pk}/", json.dumps({"room": "Sala 4"}), content_type="application/json"
    )
    assert change.status_code == 200 and change.json()["room"] == "Sala 4"

    bad = post(cast.client("staff"), f"{API}/sessions/", {**payload, "end_time": "08:00"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "end_time" and "end after it starts" in bad.json()["detail"]

    RunTrainer.objects.filter(pk=lead.pk).update(role=TrainerRole.CO_TRAINER)
    assert post(cast.client("trainer"), f"{API}/sessions/", payload).status_code == 403
    assert (
        post(cast.client("outsider"), f"{API}/sessions/", payload).status_code == 400
    )  # a run they do not see


def test_cancel_and_reinstate_through_the_api(cast: Any, run: Any) -> None:
    session = add_session(run, cast.staff, days(1))
    client = cast.client("staff")
    assert post(client, f"{API}/sessions/{session.pk}/cancel/", {}).status_code == 400
    response = post(client, f"{API}/sessions/{session.pk}/cancel/", {"reason": "Holiday"})
    assert response.status_code == 200 and response.json()["cancelled"] is True
    again = post(client, f"{API}/sessions/{session.pk}/cancel/", {"reason": "Again"})
    assert again.status_code == 409
    assert post(client, f"{API}/sessions/{session.pk}/reinstate/", {}).json()["cancelled"] is False
    assert (
        post(cast.client("participant"), f"{API}/sessions/{session.pk}/cancel/", {"reason": "x"}).status_code
        == 403
    )


def test_a_whole_class_is_marked_in_one_request(cast: Any, run: Any) -> None:
    people = add_participants(run, 3)
    session = add_session(run, cast.staff, days(0))
    client = cast.client("trainer")
    sheet = client.get(f"{API}/sessions/{session.pk}/attendance/").json()
    assert sheet["online_part_required"] is True
    assert [p["status"] for p in sheet["participants"]] == [
        None,
        None,
        None,
        None,
    ]  # + the cast's participant
    marks = [{"enrolment": e.pk, "status": "present"} for e in people]
    marks[2] = {"enrolment": people[2].pk, "status": "excused", "note": "Sick leave"}
    response = post(client, f"{API}/sessions/{session.pk}/attendance/", {"marks": marks})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["corrected"], body["unchanged"]) == (3, 0, 0)
    rows = {p["enrolment"]: p for p in body["participants"]}
    assert rows[people[2].pk]["status"] == "excused" and rows[people[2].pk]["note"] == "Sick leave"
    assert Attendance.objects.filter(session=session).count() == 3


def test_bulk_marking_refusals_are_json_and_change_nothing(cast: Any, run: Any, world: Any) -> None:
    people = add_participants(run, 2)
    session = add_session(run, cast.staff, days(0))
    client = cast.client("trainer")
    url = f"{API}/sessions/{session.pk}/attendance/"
    gate = post(client, url, {"marks": [{"enrolment": world.enrolment.pk, "status": "present"}]})
    assert gate.status_code == 400
    assert gate.json()["code"] == "online_part_not_completed" and "Paula Santos" in gate.json()["detail"]
    bad = post(client, url, {"marks": [{"enrolment": people[0].pk, "status": "asleep"}]})
    assert bad.status_code == 400
    stranger = post(client, url, {"marks": [{"enrolment": world.enrolment_b.pk, "status": "absent"}]})
    assert stranger.status_code == 400 and "not enrolled in this run" in stranger.json()["detail"]
    services.cancel_session(session, actor=cast.staff, reason="Flood")
    cancelled = post(client, url, {"marks": [{"enrolment": people[0].pk, "status": "present"}]})
    assert cancelled.status_code == 409
    assert not Attendance.objects.exists()
    assert post(cast.client("participant"), url, {"marks": []}).status_code == 403
    assert post(cast.client("outsider"), url, {"marks": []}).status_code == 404


def _bulk_queries(cast: Any, run: Any, n: int, day: int) -> int:
    people = add_participants(run, n, prefix=f"Api{n}x")
    session = add_session(run, cast.staff, days(day))
    client = cast.client("trainer")
    client.get(f"{API}/sessions/{session.pk}/attendance/")
    marks = [{"enrolment": e.pk, "status": "present"} for e in people]
    with CaptureQueriesContext(connection) as ctx:
        response = post(client, f"{API}/sessions/{session.pk}/attendance/", {"marks": marks})
    assert response.status_code == 200 and response.json()["created"] == n
    return len(ctx.captured_queries)


def test_bulk_marking_takes_the_same_queries_for_5_or_40(cast: Any, run: Any) -> None:
    assert _bulk_queries(cast, run, 5, -1) == _bulk_queries(cast, run, 40, 0)


def test_attendance_marks_are_scoped_and_filtered(cast: Any, run: Any, world: Any) -> None:
    from django.utils import timezone

    world.enrolment.online_completed_at = timezone.now()
    world.enrolment.save()
    (other,) = add_participants(run, 1)
    session = add_session(run, cast.staff, days(0))
    services.mark_attendance(session, {world.enrolment.pk: "present", other.pk: "absent"}, actor=cast.trainer)
    own = cast.client("participant").get(f"{API}/attendance/").json()
    assert [m["enrolment"] for m in own["results"]] == [world.enrolment.pk]
    absent = cast.client("trainer").get(f"{API}/attendance/?status=absent&run={run.pk}").json()
    assert [m["enrolment"] for m in absent["results"]] == [other.pk]
    assert absent["results"][0]["run"] == run.pk
    assert cast.client("steering").get(f"{API}/attendance/").json()["count"] == 0


def test_the_schema_documents_the_delivery_endpoints(cast: Any) -> None:
    schema = cast.client("staff").get(f"{API}/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/sessions/", "/api/v1/sessions/{id}/attendance/", "/api/v1/attendance/"):
        assert path in schema
    assert "AttendanceStatusEnum" in schema and "SessionKindEnum" in schema
    assert "MarkAttendance" in schema
