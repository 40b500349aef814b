"""The personal spaces in a real browser: each role's space passes axe-core (WCAG 2.1 AA), reads
on a phone without sideways scrolling, and in Arabic right to left; the participant continues
the online part from "My learning", the trainer opens today's attendance sheet from "My runs"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from capdev.cohorts.models import Application, Call, Enrolment, RunTrainer
from capdev.cohorts.testing import delivery_world
from capdev.delivery.tests.conftest import add_participants, add_session, days, move_run
from capdev.learning.testing import with_online_lesson
from conftest import Cast
from tests.browser.conftest import PHONE, AccessibilityReport, follow_nav_link, log_in, screenshot
from tests.browser.test_languages import switch_language

pytestmark = pytest.mark.browser


def scene(cast: Cast) -> Any:
    world = with_online_lesson(delivery_world(cast))
    run = move_run(world.run_a, days(-2), days(5))
    Enrolment.objects.filter(pk=world.enrolment.pk).update(
        online_progress=60, online_started_at=timezone.now()
    )
    add_participants(run, 4, org=cast.org_a)
    lead = list(RunTrainer.objects.filter(run=run))
    add_session(
        run, cast.staff, days(0), "00:00", "23:59", title="Day 2: design", room="Sala 2", trainers=lead
    )
    add_session(run, cast.staff, days(1), title="Day 3: delivery", room="Sala 2", trainers=lead)
    call = Call.objects.create(
        title="ToT second cohort",
        run=world.run_b,
        status="open",
        deadline=timezone.now() + timezone.timedelta(days=9),
    )
    Application.objects.create(call=call, person=cast.person_a, organisation=cast.org_a, status="shortlisted")
    return world, run


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"


def test_each_roles_space_passes_wcag_checks(page: Any, cast: Cast, a11y: AccessibilityReport) -> None:
    scene(cast)
    visits = [
        (cast.participant, ["/my/learning/", "/dashboard/"]),
        (cast.trainer, ["/my/runs/", "/dashboard/"]),
        (cast.focal, ["/participants/", "/dashboard/"]),
        (cast.staff, ["/participants/", "/overview/runs/", "/my/learning/", "/dashboard/"]),
        (cast.steering, ["/overview/runs/"]),
    ]
    for user, paths in visits:
        page.context.clear_cookies()
        log_in(page, user)
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            a11y.check(page, f"{user.email} {path}")
            screenshot(page, f"space-{user.email.split('@')[0]}-{path.strip('/').replace('/', '-')}")
    a11y.assert_clean()


def test_participant_continues_the_online_part_from_my_learning(page: Any, cast: Cast) -> None:
    world, _run = scene(cast)
    log_in(page, cast.participant)
    follow_nav_link(page, "My learning")
    page.wait_for_url("**/my/learning/")
    assert page.get_by_role("progressbar").first.get_attribute("aria-valuenow") == "60"
    assert "Day 2: design" in page.get_by_role("region", name="My next sessions").inner_text()
    page.get_by_role("link", name=re.compile(r"^Continue the online part\b")).click()
    page.wait_for_url(f"**/learning/enrolments/{world.enrolment.pk}/")


def test_trainer_opens_todays_attendance_sheet_from_my_runs(
    page: Any, cast: Cast, a11y: AccessibilityReport
) -> None:
    scene(cast)
    log_in(page, cast.trainer)
    follow_nav_link(page, "My runs")
    page.wait_for_url("**/my/runs/")
    page.get_by_role("link", name=re.compile(r"^Take attendance\b.*Day 2: design")).first.click()
    page.wait_for_url("**/sessions/*/attendance/")
    a11y.check(page, "trainer attendance sheet from My runs")
    a11y.assert_clean()


@pytest.fixture
def phone(browser: Any, live_url: str) -> Any:
    ctx = browser.new_context(
        base_url=live_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()


def test_spaces_fit_a_phone_and_read_right_to_left(phone: Any, cast: Cast, a11y: AccessibilityReport) -> None:
    scene(cast)
    log_in(phone, cast.participant)
    phone.goto("/my/learning/")
    no_sideways_scroll(phone)
    screenshot(phone, "space-participant-phone")
    switch_language(phone, "ar")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    no_sideways_scroll(phone)
    a11y.check(phone, "participant /my/learning/ (phone, Arabic)")
    screenshot(phone, "space-participant-phone-ar")
    phone.context.clear_cookies()
    log_in(phone, cast.staff)
    phone.goto("/overview/runs/")
    no_sideways_scroll(phone)
    a11y.check(phone, "staff /overview/runs/ (phone)")
    a11y.assert_clean()
