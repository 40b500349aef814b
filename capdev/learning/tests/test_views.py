"""Pages of the online part: the participant's course, lessons and "Mark as done", the player
and its commit endpoint, the files of packages, authoring, the run's progress table and the
panels added to the run and enrolment pages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from capdev.catalogue.models import Module
from capdev.cohorts.models import Enrolment
from capdev.cohorts.panels import panels_for_enrolment, panels_for_run
from capdev.cohorts.testing import enrol
from capdev.core.models import AuditEvent
from capdev.learning import services
from capdev.learning.models import LessonProgress, OnlineLesson, ScormAttempt, ScormPackage
from capdev.learning.testing import draft_version, tiny_package, upload
from capdev.people.models import Person


def text(response: Any) -> str:
    return response.content.decode()


def config_of(response: Any) -> dict[str, Any]:
    page = text(response)
    start = page.index('<script id="scorm-config" type="application/json">') + len(
        '<script id="scorm-config" type="application/json">'
    )
    return json.loads(page[start : page.index("</script>", start)])


# --- the participant's course --------------------------------------------------------------------


def test_the_course_page_lists_the_online_modules_with_progress_and_the_gate(cast, lw):
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    page = text(cast.client("participant").get(f"/learning/enrolments/{lw.enrolment.pk}/"))
    assert "The training cycle: overview" in page and "Adults learn by doing" in page
    assert "Rehearsal" not in page  # a face-to-face module's lesson
    assert "1 of 4 items done (25 %)." in page
    assert 'aria-valuenow="25"' in page
    assert "Complete the online part to join the face-to-face days." in page
    assert "Tiny quiz" in page and "pass mark 80 %" in page
    assert f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/" in page
    assert "<script" not in page.split("<main", 1)[1]  # no JavaScript outside the player


def test_a_completed_online_part_clears_the_participant(cast, lw):
    Enrolment.objects.filter(pk=lw.enrolment.pk).update(
        online_completed_at="2026-12-01T10:00Z", online_progress=100
    )
    page = text(cast.client("participant").get(f"/learning/enrolments/{lw.enrolment.pk}/"))
    assert "The online part is complete: you can join the face-to-face days." in page


def test_others_see_the_course_read_only(cast, lw):
    page = text(cast.client("focal").get(f"/learning/enrolments/{lw.enrolment.pk}/"))
    assert "You are looking at the online course of Paula Santos" in page
    assert f"/packages/{lw.package.pk}/play/" not in page  # focal points cannot open the player
    page = text(
        cast.client("focal").get(f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/")
    )
    assert "Mark as done" not in page
    assert not LessonProgress.objects.exists()


def test_a_participant_who_withdrew_reads_the_course_without_recording(cast, lw):
    Enrolment.objects.filter(pk=lw.enrolment.pk).update(status="withdrawn")
    client = cast.client("participant")
    page = text(client.get(f"/learning/enrolments/{lw.enrolment.pk}/"))
    assert "You withdrew from this course: your progress can no longer be recorded." in page
    page = text(client.get(f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/"))
    assert "Mark as done" not in page and not LessonProgress.objects.exists()
    response = client.get(f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/")
    assert response.status_code == 403


def test_the_course_page_runs_a_constant_number_of_queries(cast, lw):
    client = cast.client("participant")
    url = f"/learning/enrolments/{lw.enrolment.pk}/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    for i in range(8):
        lesson = OnlineLesson.objects.create(module=lw.modules[0], position=10 + i, title=f"Extra {i}")
        services.complete_lesson(lw.enrolment, lesson, actor=cast.participant)
    assert count() == before


def test_opening_a_lesson_and_marking_it_done(cast, lw):
    client = cast.client("participant")
    first, second = lw.lessons[0], lw.lessons[1]
    page = text(client.get(f"/learning/enrolments/{lw.enrolment.pk}/lessons/{first.pk}/"))
    assert "<h2>Four steps</h2>" in page
    assert "Mark as done and continue" in page and "Next: Needs assessment" in page
    assert LessonProgress.objects.get().completed_at is None
    response = client.post(
        f"/learning/enrolments/{lw.enrolment.pk}/lessons/{first.pk}/done/",
        {"next": str(second.pk)},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/learning/enrolments/{lw.enrolment.pk}/lessons/{second.pk}/"
    assert re.search(r'role="alert">\s*Lesson done\. You have done 25 % of the online part\.', text(response))
    page = text(response)
    assert "youtube-nocookie.com/embed/dQw4w9WgXcQ" in page and 'loading="lazy"' in page
    assert "Watch the video on YouTube" in page  # the text link for offline networks
    assert LessonProgress.objects.get(lesson=first).completed_at is not None


def test_only_the_participant_marks_lessons_done(cast, lw):
    response = cast.client("trainer").post(
        f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/done/"
    )
    assert response.status_code == 403
    response = cast.client("outsider").post(
        f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/done/"
    )
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_my_courses_lists_the_users_enrolments(cast, lw):
    page = text(cast.client("participant").get("/learning/my/"))
    assert lw.delivery.run_a.title in page and "Not started yet." in page
    page = text(cast.client("staff").get("/learning/my/"))
    assert "You are not enrolled in any course" in page


def test_participants_reach_their_online_courses_from_my_learning(cast, lw):
    assert "My learning" in text(cast.client("participant").get("/dashboard/"))  # the menu
    page = text(cast.client("participant").get("/my/learning/"))
    assert (
        f"/learning/enrolments/{lw.enrolment.pk}/"
        in cast.client("participant").get("/my/learning/").content.decode()
    )
    assert lw.delivery.run_a.title in page


# --- the player ------------------------------------------------------------------------------------


def test_the_player_launches_the_sco_for_the_participant(cast, lw):
    response = cast.client("participant").get(
        f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/"
    )
    assert response["Cache-Control"] == "no-store"
    config = config_of(response)
    attempt = ScormAttempt.objects.get()
    assert config["version"] == "1.2"
    assert config["launchUrl"] == f"/learning/packages/{lw.package.pk}/content/index.html"
    assert config["commitUrl"] == (
        f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/commit/{attempt.session_key}/?sco=item1"
    )
    assert config["cmi"]["cmi.core.student_name"] == "Santos, Paula"
    assert config["csrfToken"]
    page = text(response)
    assert "vendor/scorm-again/scorm-again.min.js" in page and "learning/player.js" in page


def test_staff_and_trainers_get_a_preview_that_records_nothing(cast, lw):
    for who in ("staff", "trainer"):
        response = cast.client(who).get(
            f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/"
        )
        config = config_of(response)
        assert config["commitUrl"] == ""
        assert config["cmi"]["cmi.core.lesson_mode"] == "browse"
        assert "Preview: nothing is recorded." in text(response)
    assert not ScormAttempt.objects.exists()


def test_a_multi_sco_package_offers_its_parts(cast, world):
    from capdev.learning.testing import manifest_12

    module = Module.objects.get(version=world.version, position=2)
    from capdev.learning.testing import install_package

    package = install_package(
        module,
        tiny_package(
            manifest_12(
                extra_items='<item identifier="item2" identifierref="res1"><title>Part two</title></item>'
            )
        ),
    )
    client = cast.client("participant")
    page = text(
        client.get(f"/learning/enrolments/{world.enrolment.pk}/packages/{package.pk}/play/?sco=item2")
    )
    assert "Part two" in page and 'aria-current="page">Part two' in page
    assert (
        client.get(
            f"/learning/enrolments/{world.enrolment.pk}/packages/{package.pk}/play/?sco=nope"
        ).status_code
        == 404
    )


@pytest.fixture
def launched(cast, lw):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.participant)
    response = client.get(f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/")
    return client, config_of(response)["commitUrl"]


def post_commit(client: Client, url: str, data: Any, **headers: Any) -> Any:
    body = data if isinstance(data, bytes | str) else json.dumps(data)
    return client.post(url, body, content_type=headers.pop("content_type", "application/json"), **headers)


def test_a_commit_is_stored_and_answered_as_scorm_again_expects(cast, lw, launched):
    client, url = launched
    response = post_commit(
        client,
        url,
        {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "92", "cmi.core.session_time": "00:03:00"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 200
    assert response.json() == {
        "result": True,
        "errorCode": 0,
        "done": True,
        "completion_status": "completed",
        "success_status": "passed",
    }
    attempt = ScormAttempt.objects.get()
    assert attempt.score_raw == 92 and attempt.total_seconds == 180
    assert Enrolment.objects.get(pk=lw.enrolment.pk).online_progress == 25


def test_the_final_commit_arrives_by_beacon_as_text_without_a_csrf_header(cast, lw, launched):
    client, url = launched
    response = post_commit(client, url + "&final=true", "{}", content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200
    assert ScormAttempt.objects.get().lesson_status == "completed"  # SCORM 1.2: unset → completed


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"HTTP_ORIGIN": "https://evil.example"}, 403),
        ({"HTTP_ORIGIN": "null"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, 403),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, 403),
    ],
)
def test_commits_from_another_site_are_refused(cast, lw, launched, headers, status):
    client, url = launched
    response = post_commit(client, url, {"cmi.core.lesson_status": "passed"}, **headers)
    assert response.status_code == status and response.json()["result"] is False
    assert ScormAttempt.objects.get().commits == 0


def test_a_commit_without_the_launch_secret_is_refused(cast, lw, launched):
    client, url = launched
    forged = url.replace(ScormAttempt.objects.get().session_key, "guessed-secret")
    response = post_commit(client, forged, {"cmi.core.lesson_status": "passed"})
    assert response.status_code == 409 and response.json()["code"] == "stale_session"
    assert ScormAttempt.objects.get().commits == 0


def test_a_commit_from_another_user_is_refused(cast, lw, launched):
    _client, url = launched
    for who, status in (("trainer", 403), ("outsider", 404)):
        response = post_commit(cast.client(who), url, {"cmi.core.lesson_status": "passed"})
        assert response.status_code == status
    assert ScormAttempt.objects.get().commits == 0


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"not json", 400, "not valid JSON"),
        (b"\xff\xfe", 400, "not valid JSON"),
        ({"cmi.core.score.raw": "150"}, 400, "cmi.core.score.raw: 150 is outside 0 to 100."),
        ({"cmi.core.lesson_status": "finished"}, 400, "cmi.core.lesson_status"),
        ({"cmi.suspend_data": "x" * 5000}, 400, "longer than 4096"),
        ({"cmi.evil": "1"}, 400, "not a CMI element"),
        ({"cmi.suspend_data": "x" * (1024 * 1024 + 10)}, 413, "larger than 1 MB"),
    ],
)
def test_bad_commits_are_refused_with_a_message(cast, lw, launched, body, status, words):
    client, url = launched
    response = post_commit(client, url, body)
    assert response.status_code == status
    assert words in response.json()["detail"] and response.json()["result"] is False
    assert ScormAttempt.objects.get().commits == 0


# --- files ---------------------------------------------------------------------------------------


def get_file(client: Client, url: str) -> tuple[Any, bytes]:
    response = client.get(url)
    # Reading a streamed response to its end closes it (and its file) the way a server would.
    content = b"".join(response.streaming_content) if response.streaming else b""
    return response, content


def test_package_files_are_served_with_their_type_and_safe_headers(cast, world):
    module = Module.objects.get(version=world.version, position=2)
    from capdev.learning.testing import install_package

    package = install_package(
        module,
        tiny_package(
            extra=[
                ("shared/scorm functions.js", b"var x = 1;"),
                ("shared/style.css", b"body{}"),
                ("img/photo.JPG", b"\xff\xd8\xff"),
                ("data.bin", b"\0"),
            ]
        ),
    )
    client = cast.client("participant")
    base = f"/learning/packages/{package.pk}/content/"
    for path, kind in (
        ("index.html", "text/html"),
        ("shared/scorm%20functions.js", "text/javascript"),
        ("shared/style.css", "text/css"),
        ("img/photo.JPG", "image/jpeg"),
        ("data.bin", "application/octet-stream"),
        ("imsmanifest.xml", "application/xml"),
    ):
        response, content = get_file(client, base + path)
        assert response.status_code == 200, path
        assert response["Content-Type"] == kind
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    _, content = get_file(client, base + "index.html")
    assert b"A tiny SCO." in content
    for bad in (
        "../index.html",
        "shared/../../x",
        "%2e%2e/%2e%2e/settings.py",
        "shared",
        "shared/",
        "/etc/passwd",
        "x%00.html",
    ):
        response, _ = get_file(client, base + bad)
        assert response.status_code == 404, bad


def test_the_launch_url_keeps_its_parameters_and_encodes_its_path(cast, world):
    from capdev.learning.testing import install_package, manifest_12

    module = Module.objects.get(version=world.version, position=2)
    package = install_package(
        module,
        tiny_package(
            manifest_12(href="my page.html").replace(
                'identifierref="res1">', 'identifierref="res1" parameters="?q=1">'
            ),
            extra=[("my page.html", b"<p>x</p>")],
        ),
    )
    config = config_of(
        cast.client("participant").get(
            f"/learning/enrolments/{world.enrolment.pk}/packages/{package.pk}/play/"
        )
    )
    assert config["launchUrl"].endswith("/content/my%20page.html?q=1")


def test_lesson_images_are_served_to_readers_only(cast, lw):
    from capdev.catalogue.models import CourseVersion
    from capdev.learning.tests.test_content import image_upload

    CourseVersion.objects.filter(pk=lw.delivery.version.pk).update(status="draft")
    image = services.add_lesson_image(
        lw.lessons[0], actor=cast.staff, upload=image_upload(), alt_text="Cycle"
    )
    CourseVersion.objects.filter(pk=lw.delivery.version.pk).update(status="published")
    response, content = get_file(cast.client("participant"), f"/learning/images/{image.pk}/")
    assert response["Content-Type"] == "image/png" and content.startswith(b"\x89PNG")
    assert response["X-Content-Type-Options"] == "nosniff"
    response, _ = get_file(cast.client("outsider"), f"/learning/images/{image.pk}/")
    assert response.status_code == 404


# --- authoring -------------------------------------------------------------------------------------


@pytest.fixture
def draft_module(cast):
    return Module.objects.get(version=draft_version(cast.implementer), position=1)


def test_staff_write_a_lesson_and_its_text_is_sanitised(cast, draft_module):
    client = cast.client("staff")
    response = client.post(
        f"/learning/modules/{draft_module.pk}/lessons/new/",
        {
            "title": "The cycle",
            "estimated_minutes": "12",
            "video_url": "",
            "body": "<p>Hi<script>x()</script></p>",
        },
    )
    lesson = OnlineLesson.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/learning/lessons/{lesson.pk}/edit/"
    assert lesson.body == "<p>Hi</p>" and lesson.estimated_minutes == 12
    page = text(client.get(f"/learning/lessons/{lesson.pk}/edit/"))
    assert "Add an image" in page and "Save the lesson" in page
    response = client.post(
        f"/learning/lessons/{lesson.pk}/edit/", {"title": "", "estimated_minutes": "12", "body": ""}
    )
    assert response.status_code == 200 and "This field is required." in text(response)


def test_a_lesson_form_error_from_the_service_lands_on_its_field(cast, draft_module):
    response = cast.client("staff").post(
        f"/learning/modules/{draft_module.pk}/lessons/new/",
        {"title": "T", "estimated_minutes": "12", "video_url": "http://insecure.example/v"},
    )
    page = text(response)
    assert response.status_code == 200 and "starting with https://" in page
    assert 'id="id_video_url_errors"' in page


def test_images_are_uploaded_from_the_lesson_form(cast, draft_module):
    from capdev.learning.tests.test_content import image_upload

    lesson = services.create_lesson(draft_module, actor=cast.staff, title="Cycle")
    client = cast.client("staff")
    response = client.post(
        f"/learning/lessons/{lesson.pk}/images/", {"file": image_upload(), "alt_text": "The cycle"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#images")
    image = lesson.images.get()
    response = client.post(f"/learning/lessons/{lesson.pk}/images/", {"file": image_upload(), "alt_text": ""})
    assert response.status_code == 200 and "This field is required." in text(response)
    response = client.post(f"/learning/images/{image.pk}/edit/", {"alt_text": "Four steps"})
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Four steps"
    assert client.post(f"/learning/images/{image.pk}/delete/").status_code == 302
    assert not lesson.images.exists()


def test_lessons_are_moved_and_removed(cast, draft_module):
    a = services.create_lesson(draft_module, actor=cast.staff, title="A")
    b = services.create_lesson(draft_module, actor=cast.staff, title="B")
    client = cast.client("staff")
    client.post(f"/learning/lessons/{b.pk}/move/", {"direction": "up"})
    assert list(draft_module.lessons.order_by("position").values_list("title", flat=True)) == ["B", "A"]
    page = text(client.get(f"/learning/lessons/{a.pk}/delete/"))
    assert "Remove “A”?" in page
    client.post(f"/learning/lessons/{a.pk}/delete/")
    assert list(draft_module.lessons.values_list("title", flat=True)) == ["B"]


def test_a_package_is_uploaded_and_a_bad_one_explained_on_the_form(cast, draft_module):
    from capdev.learning.testing import make_zip

    client = cast.client("staff")
    evil = make_zip([("imsmanifest.xml", b"<manifest/>"), ("../../evil.html", b"x")])
    response = client.post(f"/learning/modules/{draft_module.pk}/package/", {"file": upload(evil)})
    assert response.status_code == 200 and "points outside the package" in text(response)
    assert not ScormPackage.objects.exists()
    response = client.post(f"/learning/modules/{draft_module.pk}/package/", {"file": upload(tiny_package())})
    assert response.status_code == 302 and response["Location"].endswith("#package")
    page = text(client.get(f"/learning/modules/{draft_module.pk}/"))
    assert "Tiny quiz" in page and "Preview as a participant" in page
    package = ScormPackage.objects.get()
    preview = config_of(client.get(f"/learning/packages/{package.pk}/preview/"))
    assert preview["commitUrl"] == "" and preview["launchUrl"].endswith("/content/index.html")
    client.post(f"/learning/packages/{package.pk}/delete/")
    assert not ScormPackage.objects.exists()


def test_a_published_versions_content_is_read_only(cast, lw):
    client = cast.client("staff")
    response = client.get(f"/learning/modules/{lw.modules[0].pk}/lessons/new/", follow=True)
    assert "its lessons and packages cannot be changed" in text(response)
    page = text(client.get(f"/learning/modules/{lw.modules[0].pk}/"))
    assert "Add a lesson" not in page and "Edit</a>" not in page
    assert "Version 1 is published: its online content cannot be changed." in page
    response = client.post(f"/learning/lessons/{lw.lessons[0].pk}/delete/", follow=True)
    assert "can no longer be changed" in text(response)
    assert OnlineLesson.objects.filter(pk=lw.lessons[0].pk).exists()


def test_the_version_overview_lists_online_modules(cast, lw):
    page = text(cast.client("trainer").get(f"/learning/versions/{lw.delivery.version.pk}/"))
    assert "1. The training cycle" in page and "2. Principles of adult learning" in page
    assert "SCORM package “Tiny quiz” (SCORM 1.2)" in page
    assert "Modules delivered in other parts" in page and "Delivery and methods" in page


def test_the_lesson_preview_shows_what_participants_see(cast, lw):
    page = text(cast.client("trainer").get(f"/learning/lessons/{lw.lessons[1].pk}/preview/"))
    assert "Preview: this is the lesson as participants see it." in page
    assert "Start from the needs." in page and "youtube-nocookie" in page


# --- progress table and panels ---------------------------------------------------------------------


def test_the_run_progress_table_filters_and_runs_constant_queries(cast, lw):
    client = cast.client("staff")
    url = f"/learning/runs/{lw.delivery.run_a.pk}/progress/"
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    page = text(client.get(url))
    assert "Santos, Paula" in page and '1</div><div class="stat-label small">in progress' in page.replace(
        "\n", ""
    )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = count()
    for i in range(10):
        person = Person.objects.create(
            first_name=f"P{i}", last_name="Extra", sex="F", organisation=cast.org_a
        )
        enrol(lw.delivery.run_a, person)
    assert count() == before
    page = text(client.get(url, {"state": "in_progress"}))
    assert "Santos, Paula" in page and "Extra, P1" not in page
    partial = client.get(url, {"state": "not_started"}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and "Extra, P1" in text(partial)


def test_focal_points_see_their_own_organisations_participants(cast, lw):
    enrol(lw.delivery.run_a, cast.person_b)  # from org B
    page = text(cast.client("focal").get(f"/learning/runs/{lw.delivery.run_a.pk}/progress/"))
    assert "Santos, Paula" in page and "Mora" not in page
    page = text(cast.client("staff").get(f"/learning/runs/{lw.delivery.run_a.pk}/progress/"))
    assert "Mora, Diego" in page


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_run_page_gets_an_online_part_panel_for_staff_and_trainers(cast, lw):
    from django.template.loader import render_to_string

    panels = panels_for_run(_request(cast.trainer), lw.delivery.run_a)
    panel = next(p for p in panels if p.key == "online")
    assert str(panel.title) == "Online part"
    assert panel.action[1] == f"/learning/runs/{lw.delivery.run_a.pk}/progress/"
    html = render_to_string(panel.template, {**panel.context, "run": lw.delivery.run_a})
    assert "The online part has 4 items" in html and "not started" in html
    assert not [p for p in panels_for_run(_request(cast.participant), lw.delivery.run_a) if p.key == "online"]


def test_the_enrolment_page_gets_each_items_status(cast, lw):
    from django.template.loader import render_to_string

    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    attempt, _ = services.launch_sco(lw.enrolment, lw.package, None, actor=cast.participant)
    services.commit_cmi(
        lw.enrolment,
        lw.package,
        "item1",
        actor=cast.participant,
        session_key=attempt.session_key,
        data={"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "60"},
    )
    request = _request(cast.focal)
    enrolment = Enrolment.objects.select_related("run").get(pk=lw.enrolment.pk)
    panel = next(p for p in panels_for_enrolment(request, enrolment) if p.key == "online")
    html = render_to_string(panel.template, {**panel.context, "enrolment": enrolment, "request": request})
    assert "1 of 4 items done (25 %)." in html
    assert "Tiny quiz" in html and "60.0 %" in html and "failed" in html
    assert "The online part must be completed before the next part." in html


def test_panels_run_a_constant_number_of_queries(cast, lw):
    request = _request(cast.staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            panels_for_enrolment(request, lw.enrolment)
            panels_for_run(request, lw.delivery.run_a)
        return len(ctx)

    count()  # the user's roles are loaded once per request
    before = count()
    for i in range(5):
        lesson = OnlineLesson.objects.create(module=lw.modules[1], position=10 + i, title=f"Extra {i}")
        LessonProgress.objects.create(enrolment=lw.enrolment, lesson=lesson)
        person = Person.objects.create(first_name=f"P{i}", last_name="Extra", sex="F")
        enrol(lw.delivery.run_a, person)
    assert count() == before


def test_lesson_completion_is_audited_on_the_enrolment(cast, lw):
    cast.client("participant").post(
        f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/done/"
    )
    event = AuditEvent.objects.get(verb="lesson.completed")
    assert event.object_id == str(lw.enrolment.pk) and event.actor == cast.participant


def test_the_catalogue_version_page_links_each_online_module_to_its_lessons(cast, lw):
    url = f"/catalogue/versions/{lw.delivery.version.pk}/"
    page = text(cast.client("trainer").get(url))
    assert f'href="/learning/modules/{lw.modules[0].pk}/">Online lessons' in page
    assert f'href="/learning/modules/{lw.modules[2].pk}/"' not in page  # face-to-face
    assert "/learning/modules/" not in text(cast.client("participant").get(url))
