"""Every page a role may see passes the automated WCAG 2.1 AA checks (axe-core), reached by logging in
through the real login form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Cast
from tests.browser.conftest import AccessibilityReport, log_in, screenshot

pytestmark = pytest.mark.browser

# Every HTML page each role may open (the permission matrix says which answer 200), as paths
# built from the cast. Downloads (the JSON export) are not pages and are left out.
PAGES: dict[str, Callable[[Cast], list[str]]] = {
    "staff": lambda c: [
        "/dashboard/",
        "/organisations/",
        f"/organisations/{c.org_a.pk}/",
        "/organisations/new/",
        f"/organisations/{c.org_a.pk}/edit/",
        "/people/",
        "/people/new/",
        f"/people/{c.person_a.pk}/",
        f"/people/{c.person_a.pk}/edit/",
        f"/people/{c.person_a.pk}/erase/",
        "/accounts/password/change/",
    ],
    "steering": lambda c: [
        "/dashboard/",
        "/organisations/",
        f"/organisations/{c.org_a.pk}/",
        f"/people/{c.steering.person.pk}/",
        f"/people/{c.steering.person.pk}/edit/",
        "/accounts/password/change/",
    ],
    "focal": lambda c: [
        "/dashboard/",
        "/organisations/",
        f"/organisations/{c.org_a.pk}/",
        f"/organisations/{c.org_a.pk}/edit/",
        "/people/",
        "/people/new/",
        f"/people/{c.person_a.pk}/",
        f"/people/{c.person_a.pk}/edit/",
        "/accounts/password/change/",
    ],
    "trainer": lambda c: [
        "/dashboard/",
        f"/organisations/{c.institute.pk}/",
        f"/people/{c.trainer.person.pk}/",
        f"/people/{c.trainer.person.pk}/edit/",
        "/accounts/password/change/",
    ],
    "participant": lambda c: [
        "/dashboard/",
        f"/organisations/{c.org_a.pk}/",
        f"/people/{c.participant.person.pk}/",
        f"/people/{c.participant.person.pk}/edit/",
        "/accounts/password/change/",
    ],
}


def visit(page: Any, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"GET {path}: {response.status} != {status}"
    page.wait_for_load_state("load")


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_of_the_role_passes_wcag_checks(
    page: Any, cast: Cast, a11y: AccessibilityReport, role: str
):
    log_in(page, getattr(cast, role))
    shots = {
        f"/organisations/{cast.org_a.pk}/": "organisation-detail",
        f"/people/{cast.person_a.pk}/": "person-detail",
    }
    for path in PAGES[role](cast):
        visit(page, path)
        a11y.check(page, f"{role} {path}")
        if role == "staff" and path in shots:
            screenshot(page, shots[path])
    a11y.assert_clean()


def test_dashboard_names_the_user_and_leads_to_the_directory(
    page: Any, cast: Cast, a11y: AccessibilityReport
):
    log_in(page, cast.staff)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Alice"
    nav = page.get_by_role("navigation", name="Main navigation")
    dashboard = nav.get_by_role("link", name="Dashboard", exact=True)
    assert dashboard.is_visible()
    assert dashboard.get_attribute("aria-current") == "page"
    screenshot(page, "dashboard-staff-en")

    directory = nav.get_by_role("button", name="Directory", exact=True)
    directory.click()
    assert directory.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="People", exact=True).is_visible()
    a11y.check(page, "staff /dashboard/ (Directory menu open)")
    nav.get_by_role("link", name="Organisations", exact=True).click()
    page.wait_for_url("**/organisations/")
    assert page.get_by_role("heading", level=1).inner_text() == "Organisations"
    a11y.assert_clean()


def test_form_with_errors_passes_wcag_checks(page: Any, cast: Cast, a11y: AccessibilityReport):
    log_in(page, cast.staff)
    visit(page, "/organisations/new/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    name = page.get_by_label("Name", exact=False).first
    assert name.get_attribute("aria-invalid") == "true"
    a11y.check(page, "staff /organisations/new/ (submitted empty)")
    screenshot(page, "organisation-form-errors")
    a11y.assert_clean()


def test_open_user_menu_passes_wcag_checks(page: Any, cast: Cast, a11y: AccessibilityReport):
    log_in(page, cast.focal)
    toggle = page.get_by_role("button", name="Bruno Oliveira")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("button", name="Log out").is_visible()
    a11y.check(page, "focal /dashboard/ (user menu open)")
    a11y.assert_clean()


def test_anonymous_pages_pass_wcag_checks(page: Any, a11y: AccessibilityReport):
    visit(page, "/accounts/login/")
    a11y.check(page, "anonymous /accounts/login/")
    screenshot(page, "login-en")
    visit(page, "/accounts/password/reset/")
    a11y.check(page, "anonymous /accounts/password/reset/")
    visit(page, "/no-such-page/", status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    a11y.check(page, "anonymous /no-such-page/ (404)")
    a11y.assert_clean()


def test_failed_login_passes_wcag_checks(page: Any, cast: Cast, a11y: AccessibilityReport):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(cast.staff.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("alert").is_visible()
    assert page.url.endswith("/accounts/login/")
    a11y.check(page, "anonymous /accounts/login/ (wrong password)")
    a11y.assert_clean()


def test_record_outside_the_scope_shows_the_404_page(page: Any, cast: Cast, a11y: AccessibilityReport):
    log_in(page, cast.focal)
    visit(page, f"/organisations/{cast.org_b.pk}/", status=404)
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert cast.org_b.name not in page.content()
    a11y.check(page, "focal /organisations/<org B>/ (404)")
    screenshot(page, "not-found")
    a11y.assert_clean()
