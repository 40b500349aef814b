"""What needs a real browser: the phone layout's menu and the htmx list filters."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import PHONE, AccessibilityReport, follow_nav_link, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Any, live_url: str) -> Any:
    ctx = browser.new_context(
        base_url=live_url,
        viewport=PHONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    ctx.set_default_timeout(15_000)
    yield ctx.new_page()
    ctx.close()


def test_phone_menu_opens_from_the_toggler(phone: Any, cast: Cast, a11y: AccessibilityReport):
    log_in(phone, cast.staff)
    toggler = phone.get_by_role("button", name="Show or hide the menu")
    menu = phone.locator("#main-nav")
    dashboard = menu.get_by_role("link", name="Dashboard", exact=True)
    assert toggler.is_visible()
    assert not dashboard.is_visible(), "the menu starts folded on a phone"
    assert toggler.get_attribute("aria-expanded") == "false"
    a11y.check(phone, "staff /dashboard/ (phone)")
    screenshot(phone, "dashboard-phone")

    toggler.click()
    dashboard.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    phone.wait_for_function("() => !document.querySelector('#main-nav').classList.contains('collapsing')")
    a11y.check(phone, "staff /dashboard/ (phone, menu open)")
    screenshot(phone, "dashboard-phone-menu-open", full_page=False)

    follow_nav_link(phone, "Organisations")
    phone.wait_for_url("**/organisations/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Organisations"
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px wide)"
    a11y.check(phone, "staff /organisations/ (phone)")
    screenshot(phone, "organisations-phone")
    a11y.assert_clean()


def test_organisation_search_updates_the_results_without_reloading(page: Any, cast: Cast):
    log_in(page, cast.staff)
    page.goto("/organisations/")
    results = page.locator("#results")
    assert "Dirección General de Migración" in results.inner_text()
    # A full page load would drop this marker; an htmx swap keeps it.
    page.evaluate("() => { window.__capdevMarker = 'still here'; }")

    search = page.get_by_role("searchbox", name="Search")
    with page.expect_response(lambda r: "/organisations/?" in r.url and "q=Defensoria" in r.url) as info:
        search.press_sequentially("Defensoria", delay=20)
    response = info.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"
    assert "<html" not in response.text(), "an htmx request gets the results partial, not the whole page"

    page.wait_for_url(re.compile(r"/organisations/\?(.*&)?q=Defensoria"))
    page.wait_for_function("() => !document.querySelector('#results').classList.contains('htmx-request')")
    text = results.inner_text()
    assert "Defensoria Pública da União" in text
    assert "Dirección General de Migración" not in text
    assert page.evaluate("() => window.__capdevMarker") == "still here", "the page was reloaded"
    assert page.get_by_role("heading", level=1).inner_text() == "Organisations"
    screenshot(page, "organisations-filtered")

    # The pushed URL is a real address: opening it directly shows the same filtered list.
    page.reload()
    assert search.input_value() == "Defensoria"
    assert "Dirección General de Migración" not in results.inner_text()
