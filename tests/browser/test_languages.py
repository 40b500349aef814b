"""The interface switches language from the footer form; Arabic turns the whole page right-to-left, and
the translated pages stay accessible."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import AccessibilityReport, log_in, screenshot

pytestmark = pytest.mark.browser


def switch_language(page: Any, code: str) -> None:
    """Use the footer form as a person would: pick the language, press the (translated) button."""
    form = page.locator("form.language-form")
    form.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fr", "ltr")])
def test_key_pages_in_another_language_keep_direction_and_pass_wcag_checks(
    page: Any, cast: Cast, a11y: AccessibilityReport, code: str, direction: str
):
    log_in(page, cast.staff)
    switch_language(page, code)
    assert page.url.endswith("/dashboard/"), "the language form returns to the page it was sent from"
    paths = [
        "/dashboard/",
        "/organisations/",
        f"/organisations/{cast.org_a.pk}/",
        "/people/",
        f"/people/{cast.person_a.pk}/edit/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        html = page.locator("html")
        assert html.get_attribute("lang") == code, path
        assert html.get_attribute("dir") == direction, path
        assert page.locator("#language-select").input_value() == code, path
        a11y.check(page, f"staff {path} [{code}]")
        if path == "/dashboard/":
            screenshot(page, f"dashboard-staff-{code}")
        if path == "/organisations/":
            screenshot(page, f"organisations-{code}")
    a11y.assert_clean()


def test_arabic_layout_mirrors_the_navigation(page: Any, cast: Cast):
    log_in(page, cast.staff)
    switch_language(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href") or ""
    assert "bootstrap.rtl" in stylesheet
    brand = page.locator(".navbar-brand").bounding_box()
    viewport = page.viewport_size
    assert brand is not None and viewport is not None
    assert brand["x"] > viewport["width"] / 2, "in Arabic the brand sits on the right"


def test_language_choice_works_before_logging_in(page: Any, a11y: AccessibilityReport):
    page.goto("/accounts/login/")
    switch_language(page, "ar")
    assert page.url.endswith("/accounts/login/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    a11y.check(page, "anonymous /accounts/login/ [ar]")
    screenshot(page, "login-ar")
    a11y.assert_clean()
