"""The online part in Chromium: real SCORM packages played through scorm-again with their results
stored and resumed, and axe-core on every page of the online part (participant, trainer, author),
on a phone and in Arabic."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Any

import pytest

from capdev.catalogue.models import Module
from capdev.cohorts.models import Enrolment
from capdev.cohorts.testing import delivery_world
from capdev.learning import services
from capdev.learning.models import ScormAttempt
from capdev.learning.testing import FIXTURES, draft_version, install_package, learning_world
from conftest import Cast
from tests.browser.conftest import PHONE, AccessibilityReport, format_violations, log_in, screenshot
from tests.browser.test_languages import switch_language

pytestmark = pytest.mark.browser

# The SCO inside the player is the package author's content, not a capdev page: the player page is
# checked around its frame.
_AXE_AROUND_FRAME = """async (tags) => {
  const result = await axe.run({exclude: [['#scorm-frame']]}, {runOnly: {type: 'tag', values: tags}, iframes: false});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), summary: n.failureSummary || ''})),
  }));
}"""


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def check_player(page: Any, a11y: AccessibilityReport, label: str) -> None:
    from tests.browser.conftest import AXE, AXE_TAGS

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    a11y.pages.append(label)
    violations = list(page.evaluate(_AXE_AROUND_FRAME, AXE_TAGS))
    if violations:
        a11y.failures.append(format_violations(label, violations))


def wait_for(condition: Any, seconds: float = 10) -> Any:
    """Poll the database (the live server writes it) until `condition()` is truthy."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def attempt_of(enrolment: Enrolment) -> ScormAttempt | None:
    return ScormAttempt.objects.filter(enrolment=enrolment).first()


def test_a_scorm_2004_package_is_played_and_its_score_and_completion_are_stored(
    page: Any, cast: Cast, a11y: AccessibilityReport
):
    world = delivery_world(cast)
    module = Module.objects.get(version=world.version, position=2)
    package = install_package(
        module, (FIXTURES / "RuntimeBasicCalls_SCORM20043rdEdition.zip").read_bytes(), "golf.zip"
    )
    log_in(page, cast.participant)
    page.goto(f"/learning/enrolments/{world.enrolment.pk}/")
    page.get_by_role("link", name="Golf Explained - Run-time Basic Calls").click()
    page.wait_for_url(re.compile(rf"/packages/{package.pk}/play/$"))
    player = page.frame_locator("#scorm-frame")
    next_button = player.get_by_role("button", name="Next ->")
    next_button.wait_for()
    assert page.evaluate("() => window.API_1484_11.isInitialized()")
    check_player(page, a11y, "participant: SCORM player")
    screenshot(page, "learning-player-2004")

    # The SCO's own navigation: 14 pages to the knowledge check (completion is set on the last page).
    for _ in range(14):
        next_button.click()
    quiz = player.frame_locator("#contentFrame")
    quiz.get_by_role("button", name="Submit Answers").wait_for()
    content = next(f for f in page.frames if "assessmenttemplate" in f.url)
    questions = content.evaluate(
        """() => test.Questions.map(q => {
             if (q.Type === 'choice') return ['#question_' + q.Id + '_' + q.Answers.indexOf(q.CorrectAnswer), 'check', ''];
             if (q.Type === 'true-false') return ['#question_' + q.Id + '_' + (q.CorrectAnswer ? 'True' : 'False'), 'check', ''];
             return ['#question_' + q.Id + '_Text', 'fill', String(q.CorrectAnswer)];
           })"""
    )
    wrong = 1  # the learner gets the first question wrong
    for selector, how, value in questions[wrong:]:
        target = content.locator(f'[id="{selector[1:]}"]')
        target.check() if how == "check" else target.fill(value)
    quiz.get_by_role("button", name="Submit Answers").click()
    expected = round((len(questions) - wrong) * 100 / len(questions))
    assert page.evaluate("() => window.API_1484_11.GetValue('cmi.score.raw')") == str(expected)

    # Exit: the SCO terminates, scorm-again sends the final commit, the player returns to the course.
    player.get_by_role("button", name="Exit").click()
    page.wait_for_url(re.compile(rf"/learning/enrolments/{world.enrolment.pk}/(#.*)?$"))
    attempt = wait_for(
        lambda: ScormAttempt.objects.filter(enrolment=world.enrolment, success_status="passed").first()
    )
    assert attempt is not None, "the final commit was not stored"
    assert attempt.completion_status == "completed"
    assert attempt.success_status == "passed"  # the SCO's own pass mark (70 %)
    assert attempt.score_raw == expected and attempt.score_scaled == Decimal(expected) / 100
    assert attempt.location == "14"
    assert attempt.total_seconds > 0
    assert attempt.is_done
    enrolment = Enrolment.objects.get(pk=world.enrolment.pk)
    assert enrolment.online_progress == 100 and enrolment.online_completed_at is not None
    page.reload()
    assert "1 of 1 items done (100 %)." in page.locator("main").inner_text()
    a11y.check(page, "participant: course page, online part complete")
    a11y.assert_clean()


def test_a_scorm_12_package_resumes_where_the_participant_left(
    page: Any, cast: Cast, a11y: AccessibilityReport
):
    world = delivery_world(cast)
    module = Module.objects.get(version=world.version, position=1)
    package = install_package(module, (FIXTURES / "singlescobasic.zip").read_bytes(), "golf12.zip")
    log_in(page, cast.participant)
    play = f"/learning/enrolments/{world.enrolment.pk}/packages/{package.pk}/play/"
    page.goto(play)
    player = page.frame_locator("#scorm-frame")
    player.get_by_role("button", name="Next ->").wait_for()
    for _ in range(3):
        player.get_by_role("button", name="Next ->").click()
    # Leaving the page unloads the SCO: it suspends and scorm-again sends the final commit.
    page.get_by_role("link", name="Back to the course").click()
    page.wait_for_url(re.compile(r"/learning/enrolments/\d+/(#.*)?$"))
    attempt = wait_for(lambda: ScormAttempt.objects.filter(enrolment=world.enrolment, exit="suspend").first())
    assert attempt is not None, "the suspended session was not stored"
    assert attempt.lesson_status == "incomplete" and attempt.location == "3"
    assert not attempt.is_done

    # The next launch resumes: the SCO finds its bookmark and asks whether to go back to it.
    dialogs: list[str] = []

    def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(play)
    page.wait_for_function("() => window.API && window.API.isInitialized()")
    assert page.evaluate("() => window.API.LMSGetValue('cmi.core.entry')") == "resume"
    assert page.evaluate("() => window.API.LMSGetValue('cmi.core.lesson_location')") == "3"
    wait_for(lambda: dialogs, 5)
    assert any("resume" in message for message in dialogs)
    check_player(page, a11y, "participant: SCORM 1.2 player, resumed")
    a11y.assert_clean()


def test_every_page_of_the_online_part_passes_wcag_checks(
    browser: Any, live_url: str, cast: Cast, a11y: AccessibilityReport
):
    lw = learning_world(cast)
    draft = draft_version(cast.implementer)
    draft_module = Module.objects.get(version=draft, position=1)
    draft_lesson = services.create_lesson(
        draft_module,
        actor=cast.staff,
        title="The cycle",
        body="<h2>Steps</h2><p>Assess, design, deliver, evaluate.</p><table><caption>Plan</caption>"
        "<tr><th scope='col'>Step</th><th scope='col'>Week</th></tr><tr><td>Assess</td><td>1</td></tr></table>",
        video_url="https://vimeo.com/76979871",
    )
    services.complete_lesson(lw.enrolment, lw.lessons[0], actor=cast.participant)
    pages = {
        "participant": [
            "/learning/my/",
            f"/learning/enrolments/{lw.enrolment.pk}/",
            f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[1].pk}/",
        ],
        "trainer": [
            f"/learning/runs/{lw.delivery.run_a.pk}/progress/",
            f"/learning/versions/{lw.delivery.version.pk}/",
            f"/learning/lessons/{lw.lessons[1].pk}/preview/",
        ],
        "staff": [
            f"/learning/modules/{draft_module.pk}/",
            f"/learning/modules/{draft_module.pk}/lessons/new/",
            f"/learning/lessons/{draft_lesson.pk}/edit/",
            f"/learning/lessons/{draft_lesson.pk}/delete/",
            f"/learning/lessons/{draft_lesson.pk}/preview/",
            f"/learning/modules/{draft_module.pk}/package/",
            f"/learning/modules/{lw.modules[1].pk}/",
        ],
    }
    for role, paths in pages.items():
        context = browser.new_context(
            base_url=live_url, viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        page = context.new_page()
        log_in(page, getattr(cast, role))
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            a11y.check(page, f"{role} {path}")
            screenshot(page, "learning" + re.sub(r"[^a-z0-9]+", "-", path).rstrip("-"))
        context.close()

    # The form pages with errors shown.
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    log_in(page, cast.staff)
    page.goto(f"/learning/modules/{draft_module.pk}/lessons/new/")
    page.get_by_label("Video link").fill("http://insecure.example/v")
    page.get_by_label("Title").fill("A lesson")
    page.get_by_role("button", name="Add the lesson").click()
    assert "starting with https://" in page.locator("main").inner_text()
    a11y.check(page, "staff: lesson form with an error")
    page.goto(f"/learning/lessons/{draft_lesson.pk}/preview/")
    page.get_by_text("Play it here (loads the Vimeo player)").click()
    a11y.check(page, "staff: lesson preview, video opened")
    context.close()
    a11y.assert_clean()


def test_the_course_reads_well_on_a_phone_and_in_arabic(
    browser: Any, live_url: str, cast: Cast, a11y: AccessibilityReport
):
    lw = learning_world(cast)
    context = browser.new_context(
        base_url=live_url,
        viewport=PHONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    log_in(page, cast.participant)
    for path in (
        f"/learning/enrolments/{lw.enrolment.pk}/",
        f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[1].pk}/",
        f"/learning/enrolments/{lw.enrolment.pk}/packages/{lw.package.pk}/play/",
    ):
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px wide)"
        if "/play/" in path:
            check_player(page, a11y, f"phone {path}")
        else:
            a11y.check(page, f"phone {path}")
        screenshot(page, "learning-phone" + re.sub(r"[^a-z0-9]+", "-", path).rstrip("-"))

    # Mark a lesson done with a tap, then read the course in Arabic (right to left).
    page.goto(f"/learning/enrolments/{lw.enrolment.pk}/lessons/{lw.lessons[0].pk}/")
    page.get_by_role("button", name="Mark as done and continue").click()
    page.wait_for_url(re.compile(rf"/lessons/{lw.lessons[1].pk}/$"))
    assert (
        page.get_by_role("alert").inner_text().strip()
        == "Lesson done. You have done 25 % of the online part."
    )
    switch_language(page, "ar")
    page.goto(f"/learning/enrolments/{lw.enrolment.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the Arabic course page scrolls sideways ({width}px wide)"
    a11y.check(page, "phone, Arabic: course page")
    screenshot(page, "learning-phone-course-ar")
    context.close()
    a11y.assert_clean()
