"""Sessions and attendance in a real browser: every page passes axe-core (WCAG 2.1 AA); the
attendance sheet is marked with the keyboard ("Mark everyone present", then the exceptions) and
saved in one htmx request, works without JavaScript, fits a phone, and reads right to left in
Arabic."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from capdev.cohorts.models import Enrolment, RunTrainer
from capdev.cohorts.testing import delivery_world
from capdev.core.models import AuditEvent
from capdev.delivery import services
from capdev.delivery.models import Attendance, SessionKind
from capdev.delivery.tests.conftest import add_participants, add_session, days, move_run
from capdev.learning.testing import with_online_lesson
from conftest import Cast
from tests.browser.conftest import PHONE, AccessibilityReport, log_in, screenshot
from tests.browser.test_languages import switch_language

pytestmark = pytest.mark.browser


def scene(cast: Cast) -> dict[str, Any]:
    """Run A under way with 9 participants (one without the online part), sessions yesterday,
    today (marked for yesterday), tomorrow, a field trip and an online meeting."""
    world = with_online_lesson(delivery_world(cast))
    run = move_run(world.run_a, days(-3), days(4))
    Enrolment.objects.filter(pk=world.enrolment.pk).update(online_completed_at=timezone.now())
    people = add_participants(run, 7, org=cast.org_a)
    blocked = add_participants(run, 1, cleared=False, prefix="Pending", org=cast.org_a)[0]
    lead = list(RunTrainer.objects.filter(run=run))
    part = world.version.parts.get(kind="face_to_face")
    yesterday = add_session(run, cast.staff, days(-1), title="Day 1", room="Sala 2", part=part, trainers=lead)
    today = add_session(run, cast.staff, days(0), title="Day 2", room="Sala 2", part=part, trainers=lead)
    add_session(run, cast.staff, days(1), title="Day 3", room="Sala 2", part=part, trainers=lead)
    add_session(
        run,
        cast.staff,
        days(2),
        "10:00",
        "16:00",
        kind=SessionKind.FIELD_TRIP,
        title="Study visit",
        host_institution="Ministry of Justice and Security",
        destination_city="The Hague",
        destination_country_id="NL",
        timezone="Europe/Amsterdam",
    )
    add_session(
        run,
        cast.staff,
        days(3),
        "14:00",
        "15:30",
        kind=SessionKind.LIVE_ONLINE,
        title="Follow-up call",
        online_link="https://meet.example.org/tot-br",
    )
    marks = {e.pk: "present" for e in people} | {world.enrolment.pk: "late", blocked.pk: "absent"}
    services.mark_attendance(yesterday, marks, actor=cast.trainer)
    return {
        "run": run,
        "today": today,
        "yesterday": yesterday,
        "people": people,
        "blocked": blocked,
        "world": world,
    }


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"


def test_every_delivery_page_passes_wcag_checks(page: Any, cast: Cast, a11y: AccessibilityReport) -> None:
    s = scene(cast)
    run, today = s["run"], s["today"]
    log_in(page, cast.staff)
    pages = [
        (f"/runs/{run.pk}/sessions/", "sessions"),
        (f"/runs/{run.pk}/sessions/new/", "session-form"),
        (f"/runs/{run.pk}/sessions/daily/", "session-daily"),
        (f"/runs/{run.pk}/timetable/", "timetable"),
        (f"/runs/{run.pk}/sessions/attendance/", "attendance-summary"),
        (f"/sessions/{s['yesterday'].pk}/", "session-detail"),
        (f"/sessions/{today.pk}/edit/", "session-edit"),
        (f"/sessions/{today.pk}/cancel/", "session-cancel"),
        (f"/sessions/{today.pk}/attendance/", "attendance-sheet"),
        ("/sessions/today/", "today-staff"),
        ("/attendance/", "attendance-list"),
        ("/calendar/", "my-calendar"),
    ]
    for path, name in pages:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        a11y.check(page, f"staff {path}")
        screenshot(page, f"delivery-{name}")
    # The filters of the sessions list update the results without reloading (htmx).
    page.goto(f"/runs/{run.pk}/sessions/")
    with page.expect_response(lambda r: "kind=field_trip" in r.url):
        page.get_by_label("Kind", exact=True).select_option("field_trip")
    page.wait_for_function("() => !document.querySelector('#results').classList.contains('htmx-request')")
    assert "Study visit" in page.locator("#results").inner_text()
    assert "Day 2" not in page.locator("#results").inner_text()
    a11y.check(page, "staff sessions filtered")

    # Plan a session through the form: its errors name the field, then it is saved.
    page.goto(f"/runs/{run.pk}/sessions/new/")
    page.get_by_label("Title").fill("Coaching clinic")
    page.get_by_label("Date").fill(days(1).isoformat())
    page.get_by_label("Starts").fill("18:00")
    page.get_by_label("Ends").fill("17:00")
    page.get_by_role("button", name="Save").click()
    assert "The session must end after it starts" in page.locator("#id_end_time_errors").inner_text()
    a11y.check(page, "staff session form with an error")
    page.get_by_label("Ends").fill("19:30")
    page.get_by_label("Tina Borg (Lead trainer)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/sessions/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Coaching clinic"
    a11y.assert_clean()


def test_trainer_marks_the_class_with_the_keyboard_and_saves_it_in_one_request(
    page: Any, cast: Cast, a11y: AccessibilityReport
) -> None:
    s = scene(cast)
    today, people, blocked = s["today"], s["people"], s["blocked"]
    log_in(page, cast.trainer)
    page.get_by_role("link", name="Today", exact=True).click()
    page.wait_for_url("**/sessions/today/")
    a11y.check(page, "trainer /sessions/today/")
    screenshot(page, "delivery-today-trainer")
    page.get_by_role("link", name=re.compile("Take attendance")).first.click()
    page.wait_for_url(f"**/sessions/{today.pk}/attendance/")

    sheet = page.locator("#attendance-sheet")
    assert "Online part not completed" in sheet.inner_text()
    blocked_present = page.locator(f"#status-{blocked.pk}-present")
    assert blocked_present.is_disabled()

    page.get_by_role("button", name="Mark everyone present").click()
    assert page.locator("[data-count=present]").inner_text() == "8"
    assert page.locator("[data-count=unmarked]").inner_text() == "1"  # the participant the gate holds back

    # Exceptions by keyboard: the arrow keys within a participant, a letter and on to the next.
    first = page.locator(f"#status-{people[0].pk}-present")
    first.focus()
    page.keyboard.press("ArrowRight")  # → late
    assert page.locator(f"#status-{people[0].pk}-late").is_checked()
    page.locator(f"#status-{people[1].pk}-present").focus()
    page.keyboard.press("a")  # absent, then the next participant
    assert page.locator(f"#status-{people[1].pk}-absent").is_checked()
    assert page.evaluate("() => document.activeElement.id") == f"status-{people[2].pk}-present"
    page.keyboard.press("e")
    assert page.locator(f"#status-{people[2].pk}-excused").is_checked()
    page.locator(f"label[for=status-{blocked.pk}-absent]").click()
    page.locator(f"#note-{people[2].pk}").fill("Medical appointment")
    assert page.locator("[data-count=unmarked]").inner_text() == "0"
    a11y.check(page, "trainer attendance sheet, before saving")
    screenshot(page, "delivery-attendance-sheet-marked")

    page.evaluate("() => { window.__capdevMarker = 'kept'; }")
    with page.expect_response(
        lambda r: r.url.endswith(f"/sessions/{today.pk}/attendance/") and r.request.method == "POST"
    ) as info:
        page.get_by_role("button", name="Save attendance").first.click()
    response = info.value
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text()
    page.get_by_text("Attendance saved: 9 marked").wait_for()
    assert page.evaluate("() => window.__capdevMarker") == "kept", "the page was reloaded"
    marks = dict(Attendance.objects.filter(session=today).values_list("enrolment_id", "status"))
    assert (
        marks[people[0].pk] == "late" and marks[people[1].pk] == "absent" and marks[people[2].pk] == "excused"
    )
    assert marks[people[3].pk] == "present" and marks[blocked.pk] == "absent"
    assert len(marks) == 9
    a11y.check(page, "trainer attendance sheet, saved")

    # A correction: recorded with before and after.
    page.locator(f"label[for=status-{people[1].pk}-present]").click()
    page.get_by_role("button", name="Save attendance").first.click()
    page.get_by_text("1 corrected").wait_for()
    correction = AuditEvent.objects.get(verb="attendance.corrected")
    assert correction.changes == {"status": ["absent", "present"]}
    screenshot(page, "delivery-attendance-sheet-saved")
    a11y.assert_clean()


def test_the_sheet_works_without_javascript(browser: Any, live_url: str, cast: Cast) -> None:
    s = scene(cast)
    ctx = browser.new_context(base_url=live_url, java_script_enabled=False, locale="en-GB")
    page = ctx.new_page()
    try:
        log_in(page, cast.trainer)
        page.goto(f"/sessions/{s['today'].pk}/attendance/")
        page.get_by_role("link", name="Mark everyone present").click()
        page.wait_for_url(re.compile(r"preset=present"))
        assert page.locator(f"#status-{s['people'][0].pk}-present").is_checked()
        assert not page.locator(f"#status-{s['blocked'].pk}-present").is_checked()
        page.locator(f"label[for=status-{s['blocked'].pk}-excused]").click()
        page.get_by_role("button", name="Save attendance").first.click()
        page.wait_for_url(re.compile(rf"/sessions/{s['today'].pk}/attendance/$"))
        assert "Attendance saved: 9 marked" in page.locator(".messages").inner_text()
        assert Attendance.objects.filter(session=s["today"], status="present").count() == 8
    finally:
        ctx.close()


def test_the_sheet_and_the_timetable_fit_a_phone(
    browser: Any, live_url: str, cast: Cast, a11y: AccessibilityReport
) -> None:
    s = scene(cast)
    ctx = browser.new_context(
        base_url=live_url,
        viewport=PHONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = ctx.new_page()
    try:
        log_in(page, cast.trainer)
        for path, name in [
            (f"/sessions/{s['today'].pk}/attendance/", "attendance-sheet-phone"),
            (f"/runs/{s['run'].pk}/timetable/", "timetable-phone"),
            ("/sessions/today/", "today-phone"),
        ]:
            page.goto(path)
            no_sideways_scroll(page)
            a11y.check(page, f"trainer {path} (phone)")
            screenshot(page, f"delivery-{name}")
        page.goto(f"/sessions/{s['today'].pk}/attendance/")
        page.get_by_role("button", name="Mark everyone present").tap()
        page.get_by_role("button", name="Save attendance").first.tap()
        page.get_by_text("Attendance saved").wait_for()
        assert Attendance.objects.filter(session=s["today"]).count() == 8
    finally:
        ctx.close()
    a11y.assert_clean()


def test_the_sheet_and_the_timetable_in_arabic(page: Any, cast: Cast, a11y: AccessibilityReport) -> None:
    s = scene(cast)
    log_in(page, cast.trainer)
    switch_language(page, "ar")
    for path, name in [
        (f"/sessions/{s['today'].pk}/attendance/", "attendance-sheet-ar"),
        (f"/runs/{s['run'].pk}/timetable/", "timetable-ar"),
        (f"/runs/{s['run'].pk}/sessions/attendance/", "attendance-summary-ar"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200
        assert page.locator("html").get_attribute("dir") == "rtl"
        a11y.check(page, f"trainer {path} [ar]")
        screenshot(page, f"delivery-{name}")
    # In right-to-left, the arrow pointing left moves to the next status.
    page.goto(f"/sessions/{s['today'].pk}/attendance/")
    person = s["people"][0].pk
    page.locator(f"label[for=status-{person}-present]").click()
    page.locator(f"#status-{person}-present").focus()
    page.keyboard.press("ArrowLeft")
    assert page.locator(f"#status-{person}-late").is_checked()
    a11y.assert_clean()


def test_participant_follows_the_timetable_and_their_calendar(
    page: Any, cast: Cast, a11y: AccessibilityReport
) -> None:
    s = scene(cast)
    log_in(page, cast.participant)
    for path, name in [
        (f"/runs/{s['run'].pk}/timetable/", "timetable-participant"),
        ("/calendar/", "my-calendar-participant"),
        (f"/sessions/{s['today'].pk}/", "session-participant"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200
        a11y.check(page, f"participant {path}")
        screenshot(page, f"delivery-{name}")
    # Printed, the timetable keeps the sessions and drops the menus and the calendar box.
    page.goto(f"/runs/{s['run'].pk}/timetable/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("heading", name="Add these sessions to your calendar").is_visible()
    assert page.get_by_role("heading", name=re.compile("Timetable of")).is_visible()
    screenshot(page, "delivery-timetable-print")
    page.emulate_media(media="screen")
    page.goto("/calendar/")
    link = page.get_by_label("Your personal calendar link").input_value()
    feed = page.request.get(link)
    assert feed.status == 200 and "Study visit" in feed.text()
    assert "DTSTART;TZID=Europe/Amsterdam:" in feed.text()
    a11y.assert_clean()
