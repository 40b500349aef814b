"""The read-only API of the online part: lessons, participants' progress, SCORM attempts."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.learning import services
from capdev.learning.models import LessonImage, OnlineLesson


def test_lessons_of_a_version_with_their_images_and_video(cast, lw):
    LessonImage.objects.create(
        lesson=lw.lessons[1],
        number=1,
        file="lessons/x/a.png",
        alt_text="Needs",
        width=4,
        height=3,
        content_type="image/png",
    )
    response = cast.client("participant").get("/api/v1/online-lessons/", {"version": lw.delivery.version.pk})
    rows = response.json()["results"]
    assert [r["title"] for r in rows] == [
        "The training cycle: overview",
        "Needs assessment",
        "Adults learn by doing",
        "Rehearsal",
    ]
    needs = rows[1]
    assert needs["version"] == lw.delivery.version.pk and needs["module_title"] == "The training cycle"
    assert needs["video_embed_url"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert needs["images"][0]["alt_text"] == "Needs"
    assert needs["images"][0]["url"].endswith(f"/learning/images/{LessonImage.objects.get().pk}/")
    assert cast.client("outsider").get("/api/v1/online-lessons/").json()["count"] == 0


def test_the_lesson_list_runs_a_constant_number_of_queries(cast, lw):
    client = cast.client("staff")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/online-lessons/").status_code == 200
        return len(ctx)

    before = count()
    for i in range(5):
        lesson = OnlineLesson.objects.create(module=lw.modules[0], position=10 + i, title=f"Extra {i}")
        LessonImage.objects.create(
            lesson=lesson,
            number=1,
            file=f"x/{i}.png",
            alt_text="x",
            width=1,
            height=1,
            content_type="image/png",
        )
    assert count() == before


def test_a_participants_progress_with_each_item(cast, lw):
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    attempt, _ = services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    services.commit_cmi(
        lw.enrolment,
        lw.package,
        "item1",
        actor=cast.participant,
        session_key=attempt.session_key,
        data={"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "85"},
    )
    client = cast.client("trainer")
    listing = client.get(
        "/api/v1/online-progress/", {"run": lw.delivery.run_a.pk, "state": "in_progress"}
    ).json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert (
        row["online_progress"] == 50
        and row["state"] == "in_progress"
        and row["person_name"] == "Paula Santos"
    )
    assert row["cleared_for_face_to_face"] is False
    detail = client.get(f"/api/v1/online-progress/{lw.enrolment.pk}/").json()
    assert [(i["kind"], i["title"], i["status"]) for i in detail["items"]] == [
        ("lesson", "The training cycle: overview", "done"),
        ("lesson", "Needs assessment", "not_started"),
        ("lesson", "Adults learn by doing", "not_started"),
        ("scorm", "Tiny quiz", "done"),
    ]
    assert detail["items"][3]["score_percent"] == "85.0"
    assert client.get("/api/v1/online-progress/", {"state": "completed"}).json()["count"] == 0


def test_scorm_attempts_are_read_by_who_sees_the_enrolment(cast, lw):
    attempt, _ = services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    services.commit_cmi(
        lw.enrolment,
        lw.package,
        "item1",
        actor=cast.participant,
        session_key=attempt.session_key,
        data={
            "cmi.core.lesson_status": "incomplete",
            "cmi.suspend_data": "page=3",
            "cmi.core.session_time": "00:02:00",
        },
    )
    rows = (
        cast.client("focal").get("/api/v1/scorm-attempts/", {"enrolment": lw.enrolment.pk}).json()["results"]
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["scorm_version"] == "1.2" and row["lesson_status"] == "incomplete" and row["done"] is False
    assert row["suspend_data"] == "page=3" and row["total_seconds"] == "120.00"
    assert "session_key" not in row
    assert cast.client("outsider").get("/api/v1/scorm-attempts/").json()["count"] == 0
    assert cast.client("staff").get("/api/v1/scorm-attempts/", {"done": "true"}).json()["count"] == 0


def test_the_api_is_read_only(cast, lw):
    client = cast.client("staff")
    assert client.post("/api/v1/online-lessons/", {}).status_code == 405
    assert client.delete(f"/api/v1/online-progress/{lw.enrolment.pk}/").status_code == 405


def test_the_schema_describes_the_online_part(cast, lw):
    schema = cast.client("staff").get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/online-lessons/" in schema["paths"]
    assert "/api/v1/online-progress/{id}/" in schema["paths"]
    assert "/api/v1/scorm-attempts/" in schema["paths"]
    assert "OnlineProgressDetail" in schema["components"]["schemas"]
