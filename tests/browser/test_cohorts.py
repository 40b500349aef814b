"""Course runs, programmes, calls, applications, selection, enrolments and the import, in a real
browser: every page passes axe-core's WCAG 2.1 AA checks (staff, focal point, participant), the
selection page's decisions redraw it without reloading, applying sends a file, a phone shows the
run and selection pages without sideways scrolling, and Arabic lays them out right to left."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from capdev.cohorts import services
from capdev.cohorts.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Call,
    CourseRun,
    Enrolment,
    ParticipantImport,
    Programme,
)
from capdev.cohorts.testing import delivery_world, make_application, make_call, make_person
from conftest import Cast
from tests.browser.conftest import PHONE, AccessibilityReport, log_in, screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Scene:
    run: CourseRun
    run_b: CourseRun
    enrolment: Enrolment
    programme: Programme
    call: Call
    programme_call: Call
    waiting: Application
    offered: Application
    nominated: Application
    checked: ParticipantImport
    failed: ParticipantImport


def build_scene(cast: Cast) -> Scene:
    world = delivery_world(cast)
    today = timezone.localdate()
    run = world.run_a
    run.start_date, run.end_date = today + datetime.timedelta(days=20), today + datetime.timedelta(days=24)
    run.capacity = 5
    run.venue, run.city = "Escola Nacional da DPU", "Brasília"
    run.save()
    programme = services.create_programme(
        actor=cast.staff,
        title="Migration Management Diploma",
        cohort_label="Cohort 3",
        organiser=cast.institute,
    )
    services.add_run(programme, world.run_b, actor=cast.staff)
    call = make_call(
        run=run,
        title="Training of Trainers, Brasília: call for participants",
        description="Public defenders who train colleagues.",
        organisation_types=["partner"],
        positions=["defender", "trainer"],
        languages=[{"language": "pt", "level": "B2"}],
        women_target_percent=50,
        default_quota=3,
    )
    call.countries.set(["BR"])
    programme_call = make_call(programme=programme, title="Diploma, cohort 3: call", status="draft")
    people = [
        make_person(
            "Ana", "Lima", cast.org_a, sex="F", position="Public defender", email="ana.lima@dpu.example"
        ),
        make_person("Rui", "Dias", cast.org_a, sex="M", position="Trainer", email="rui.dias@dpu.example"),
        make_person("Eva", "Melo", cast.org_a, sex="F", position="Analyst", email="eva.melo@dpu.example"),
        make_person("João", "Reis", cast.org_a, sex="M", position="Defender", email="joao.reis@dpu.example"),
    ]
    for person in people:
        services.add_candidate(call, person, actor=cast.staff)
    accepted = Application.objects.get(call=call, person=people[0])
    services.accept_application(accepted, actor=cast.staff)
    waiting = Application.objects.get(call=call, person=people[1])
    services.waitlist_application(waiting, actor=cast.staff)
    offered = make_application(
        call,
        make_person("Lia", "Costa", cast.org_a, sex="F"),
        status=ApplicationStatus.OFFERED,
        offer_expires_on=today + datetime.timedelta(days=3),
    )
    nominated = services.nominate_candidate(
        call, cast.person_a, actor=cast.focal, motivation="Leads the unit."
    )
    attachment = ApplicationAttachment(
        application=nominated, title="cv.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("cv.pdf", ContentFile(PDF), save=True)
    csv = "First name,Last name,E-mail,Sex,Organisation\nMaria,Souza,maria@dpu.example,F,DPU\nPaula,Santos,paula@dpu.example,F,DPU\n"
    checked = services.check_import(run, _upload("people.csv", csv), actor=cast.staff)
    failed = services.check_import(
        run, _upload("broken.csv", csv.replace("maria@dpu.example", "maria-at-dpu")), actor=cast.staff
    )
    return Scene(
        run,
        world.run_b,
        world.enrolment,
        programme,
        call,
        programme_call,
        waiting,
        offered,
        nominated,
        checked,
        failed,
    )


def _upload(name: str, text: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"))


@pytest.fixture
def scene(cast: Cast, settings: Any, tmp_path: Any) -> Scene:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_scene(cast)


def visit(page: Any, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"GET {path}: {response and response.status}"
    page.wait_for_load_state("load")


WIDE = """(limit) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > limit + 1 && !el.closest('.table-responsive'))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def no_sideways_scroll(page: Any, label: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(WIDE, PHONE["width"]) if width > PHONE["width"] else []
    assert width <= PHONE["width"], f"{label} scrolls sideways on a phone ({width}px wide): {wide}"


def test_every_cohorts_page_of_staff_passes_wcag_checks(
    page: Any, cast: Cast, scene: Scene, a11y: AccessibilityReport
):
    log_in(page, cast.staff)
    s = scene
    pages = {
        "/runs/": "run-list",
        f"/runs/{s.run.pk}/": "run-detail",
        "/runs/new/": "run-form",
        f"/runs/{s.run.pk}/edit/": None,
        f"/runs/{s.run.pk}/status/": None,
        f"/runs/{s.run.pk}/trainers/?q=ribeiro": "run-trainers",
        f"/runs/{s.run.pk}/enrol/?q=diego": "run-enrol",
        f"/runs/{s.run.pk}/import/": "import-form",
        f"/runs/{s.run.pk}/imports/{s.checked.pk}/": "import-preview",
        f"/runs/{s.run.pk}/imports/{s.failed.pk}/": "import-errors",
        "/programmes/": "programme-list",
        f"/programmes/{s.programme.pk}/": "programme-detail",
        "/programmes/new/": None,
        f"/programmes/{s.programme.pk}/edit/": None,
        "/calls/": "call-list",
        f"/calls/{s.call.pk}/": "call-detail",
        f"/calls/new/?run={s.run.pk}": "call-form",
        f"/calls/{s.call.pk}/edit/": None,
        f"/calls/{s.call.pk}/selection/": "selection",
        f"/calls/{s.call.pk}/candidates/new/?q=mora": None,
        f"/calls/{s.programme_call.pk}/": None,
        "/applications/": "application-list",
        f"/applications/{s.nominated.pk}/": "application-detail",
        f"/applications/{s.nominated.pk}/withdraw/": None,
        f"/enrolments/{s.enrolment.pk}/": "enrolment-detail",
        f"/enrolments/{s.enrolment.pk}/waive/": "enrolment-waive",
        f"/enrolments/{s.enrolment.pk}/withdraw/": None,
    }
    for path, shot in pages.items():
        visit(page, path)
        a11y.check(page, f"staff {path}")
        if shot:
            screenshot(page, f"cohorts-{shot}")
    visit(page, f"/calls/{s.call.pk}/selection/")
    page.locator("details.reject summary").first.click()  # the reject form, unfolded
    a11y.check(page, "staff selection (reject form open)")
    a11y.assert_clean()


def test_pages_of_focal_points_and_participants_pass_wcag_checks(
    page: Any, browser: Any, live_url: str, cast: Cast, scene: Scene, a11y: AccessibilityReport
):
    log_in(page, cast.participant)
    for path in (
        "/runs/",
        f"/runs/{scene.run.pk}/",
        "/calls/",
        f"/calls/{scene.call.pk}/",
        f"/calls/{scene.call.pk}/apply/",
        "/applications/",
        f"/enrolments/{scene.enrolment.pk}/",
        f"/enrolments/{scene.enrolment.pk}/withdraw/",
    ):
        visit(page, path)
        a11y.check(page, f"participant {path}")
    screenshot(page, "cohorts-enrolment-withdraw-participant")
    context = browser.new_context(base_url=live_url, locale="en-GB")
    focal = context.new_page()
    log_in(focal, cast.focal)
    for path in (
        "/calls/",
        f"/calls/{scene.call.pk}/nominate/",
        f"/applications/{scene.nominated.pk}/",
        "/programmes/",
    ):
        visit(focal, path)
        a11y.check(focal, f"focal {path}")
    screenshot(focal, "cohorts-nominate-focal")
    context.close()
    a11y.assert_clean()


def test_a_participant_applies_with_a_file_and_sees_it(
    page: Any, cast: Cast, scene: Scene, a11y: AccessibilityReport, tmp_path: Any
):
    log_in(page, cast.participant)
    call = make_call(run=scene.run_b, title="ToT Costa Rica: call")
    visit(page, "/calls/")
    page.get_by_role("link", name="Apply · ToT Costa Rica: call").click()
    page.wait_for_url(f"**/calls/{call.pk}/apply/")
    page.get_by_role("button", name="Send my application").click()  # empty: the motivation is required
    page.wait_for_load_state("load")
    motivation = page.get_by_label("Motivation")
    assert motivation.get_attribute("aria-invalid") == "true"
    a11y.check(page, "participant apply form (with errors)")
    screenshot(page, "cohorts-apply-errors")
    motivation.fill("I lead the training unit of my office.")
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF)
    page.get_by_label("Attachments").set_input_files(str(cv))
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_load_state("load")
    application = Application.objects.get(call=call, person=cast.participant.person)
    assert page.url.endswith(application.get_absolute_url())
    assert page.get_by_role("link", name="cv.pdf").is_visible()
    assert "Your application has been sent" in page.content()
    a11y.check(page, "participant application page")
    screenshot(page, "cohorts-application-sent")
    a11y.assert_clean()


def test_selection_decisions_update_the_page_without_reloading(
    page: Any, cast: Cast, scene: Scene, a11y: AccessibilityReport
):
    log_in(page, cast.staff)
    visit(page, f"/calls/{scene.call.pk}/selection/")
    page.evaluate("() => { window.__marker = 'still here'; }")
    seats = page.locator("#seats-heading + p")
    assert "3 of 5 taken" in seats.inner_text()  # the participant and Ana; Lia's offer holds a third

    row = page.locator("tr", has=page.get_by_role("link", name="Reis, João"))
    with page.expect_response(lambda r: "/decide/" in r.url):
        row.get_by_role("button", name="Accept · João Reis").click()
    page.get_by_role("status").filter(has_text="João Reis is accepted").wait_for()
    assert "4 of 5 taken" in page.locator("#seats-heading + p").inner_text()
    assert page.evaluate("() => window.__marker") == "still here", "the page was reloaded"

    row = page.locator("tr", has=page.get_by_role("link", name="Melo, Eva"))
    row.locator("details.reject summary").click()
    row.get_by_label("Reason for rejecting Eva Melo").fill("Does not train colleagues yet")
    with page.expect_response(lambda r: "/decide/" in r.url):
        row.get_by_role("button", name="Reject", exact=True).click()
    page.get_by_role("status").filter(has_text="Eva Melo is rejected").wait_for()
    assert (
        Application.objects.get(call=scene.call, person__first_name="Eva").status
        == ApplicationStatus.REJECTED
    )
    a11y.check(page, "staff selection after decisions")
    screenshot(page, "cohorts-selection-after-decisions")
    a11y.assert_clean()


def test_run_and_selection_pages_fit_a_phone(
    browser: Any, live_url: str, cast: Cast, scene: Scene, a11y: AccessibilityReport
):
    context = browser.new_context(
        base_url=live_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    phone = context.new_page()
    log_in(phone, cast.staff)
    for path, shot in (
        (f"/runs/{scene.run.pk}/", "cohorts-run-detail-phone"),
        (f"/calls/{scene.call.pk}/selection/", "cohorts-selection-phone"),
        ("/runs/", "cohorts-run-list-phone"),
        (f"/runs/{scene.run.pk}/imports/{scene.failed.pk}/", "cohorts-import-errors-phone"),
    ):
        visit(phone, path)
        screenshot(phone, shot)
        no_sideways_scroll(phone, path)
        a11y.check(phone, f"staff {path} (phone)")
    context.close()
    a11y.assert_clean()


def test_cohorts_pages_in_arabic_are_right_to_left_and_accessible(
    page: Any, cast: Cast, scene: Scene, a11y: AccessibilityReport
):
    from tests.browser.test_languages import switch_language

    log_in(page, cast.staff)
    switch_language(page, "ar")
    for path, shot in (
        (f"/runs/{scene.run.pk}/", "cohorts-run-detail-ar"),
        (f"/calls/{scene.call.pk}/selection/", "cohorts-selection-ar"),
        (f"/calls/{scene.call.pk}/", None),
        (f"/programmes/{scene.programme.pk}/", None),
        (f"/enrolments/{scene.enrolment.pk}/", None),
    ):
        visit(page, path)
        assert page.locator("html").get_attribute("dir") == "rtl"
        a11y.check(page, f"staff {path} [ar]")
        if shot:
            screenshot(page, shot)
    a11y.assert_clean()
