"""Every main page of the application passes the automated WCAG 2.1 A/AA checks (axe-core) on the full
demo programme (`load_programme(scale=0)`), logged in as each demo role through the real login form,
anonymously for the public catalogue, and in Arabic (right-to-left) for four key pages (the matching
shortlist among them).

Each page is first requested and only checked when the role may see it (200): a 403 or 404 means the
role has no access, and that page is skipped for it. Any other status is a failure.

The live server needs transactional tests, which end with a flush of every table (see conftest.py), so
one test loads the demo once and sweeps every visitor, each in a fresh browser session; the report
names every failing page of every visitor.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, TIMEOUT_MS, AccessibilityReport
from tests.browser.test_languages import switch_language

pytestmark = pytest.mark.browser

ROLES = [
    "staff@capdev.example",
    "steering@capdev.example",
    "focal@capdev.example",
    "trainer@capdev.example",
    "participant@capdev.example",
]
NO_ACCESS = {403, 404}
# Folded content (<details>: data tables, long lists, history) is checked too, unfolded.
OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _pick(queryset: Any, user: Any, **preferred: Any) -> Any:
    """The preferred demo object when the user may see it, otherwise the first one they may see."""
    visible = queryset.visible_to(user) if user is not None else queryset
    return visible.filter(**preferred).first() or visible.order_by("pk").first()


def demo_pages(user: Any) -> list[str]:
    """The list page and one detail page of each app, for this user (None: anonymous)."""
    from capdev.actions.models import Action, Activity, Request
    from capdev.catalogue.models import Course, CourseVersion
    from capdev.competencies.models import FrameworkVersion
    from capdev.experts.models import ExpertProfile
    from capdev.knowledge.models import Lesson

    public = Course.objects.filter(demo_key="tot-standard").first()
    pages = ["/courses/"]
    if public is not None:
        pages.append(f"/courses/{public.uuid}/")
    if user is None:
        return pages

    framework_version = _pick(
        FrameworkVersion.objects.all(),
        user,
        framework__demo_key="trainer-competency-framework",
        status="published",
    )
    standard = _pick(CourseVersion.objects.all(), user, course__demo_key="tot-standard", status="published")
    adaptation = _pick(
        CourseVersion.objects.exclude(course__demo_key="tot-standard").filter(
            course__demo_key__startswith="adaptation-"
        ),
        user,
        course__demo_key="adaptation-dpu-tot-pt",
    )
    details: list[tuple[str, Any]] = [
        ("/actions/{}/", _pick(Action.objects.all(), user, demo_key="brazil-3")),
        ("/activities/{}/", _pick(Activity.objects.all(), user, action__demo_key="brazil-3")),
        # Matching (staff only): a planned activity, with its shortlist explained.
        (
            "/activities/{}/matching/",
            _pick(Activity.objects.filter(status="planned"), user, demo_key="act-ph-tna"),
        ),
        ("/requests/{}/", _pick(Request.objects.all(), user, demo_key="req-brazil-3")),
        ("/competencies/versions/{}/", framework_version),
        ("/coverage/{}/", framework_version),
        ("/catalogue/versions/{}/", standard),
        ("/adaptations/{}/", adaptation),
        ("/experts/{}/", _pick(ExpertProfile.objects.all(), user, demo_key="expert-01")),
        ("/knowledge/{}/", _pick(Lesson.objects.all(), user, demo_key__isnull=False)),
    ]
    lists = [
        "/dashboard/",
        "/organisations/",
        "/people/",
        "/requests/",
        "/actions/",
        "/activities/",
        "/activities/calendar/",
        "/competencies/",
        "/catalogue/",
        "/adaptations/",
        "/experts/",
        "/knowledge/",
        "/knowledge/?q=training",  # ranked results with highlighted snippets
        "/portfolio/",
    ]
    return lists + [path.format(obj.pk) for path, obj in details if obj is not None] + pages


def _sweep(page: Any, label: str, paths: list[str], a11y: AccessibilityReport) -> list[str]:
    """Check each page the visitor may open; return the paths checked. Other statuses fail."""
    checked: list[str] = []
    for path in paths:
        response = page.goto(path)
        assert response is not None, f"no response for {path}"
        if response.status in NO_ACCESS:
            continue
        if response.status != 200:
            a11y.failures.append(f"{label} {path}: HTTP {response.status}")
            continue
        page.wait_for_load_state("load")
        page.evaluate(OPEN_DETAILS)
        a11y.check(page, f"{label} {path}")
        checked.append(path)
    return checked


def log_in_demo(page: Any, email: str) -> None:
    """Log in through the real login form with the demo password."""
    from capdev.demo.accounts import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")


@pytest.fixture
def demo(live_url: str) -> dict[str, int]:
    """The whole demo programme in the live server's (transactional) database."""
    from capdev.demo.programme import load_programme

    return load_programme(scale=0)


def _role_sweep(context: Any, email: str, a11y: AccessibilityReport) -> None:
    """One demo role in its own browser session: every page it may open is checked."""
    from capdev.accounts.models import User

    page = context.new_page()
    user = User.objects.get(email=email)
    log_in_demo(page, email)
    paths = demo_pages(user)
    checked = _sweep(page, email.split("@")[0], paths, a11y)
    print(f"{email}: {len(checked)} page(s) checked: {' '.join(checked)}")
    if "/dashboard/" not in checked:
        a11y.failures.append(f"{email}: the dashboard was not checked ({checked})")
    if email.startswith("staff@") and checked != paths:
        missing = [path for path in paths if path not in checked]
        a11y.failures.append(f"programme staff may open every page of the sweep; not: {missing}")


def _arabic_sweep(page: Any, a11y: AccessibilityReport) -> None:
    from capdev.actions.models import Action, Activity

    brazil_3 = Action.objects.get(demo_key="brazil-3")
    planned = Activity.objects.get(demo_key="act-ph-tna")
    log_in_demo(page, "staff@capdev.example")
    switch_language(page, "ar")
    paths = [
        "/dashboard/",
        f"/actions/{brazil_3.pk}/",
        "/activities/calendar/",
        f"/activities/{planned.pk}/matching/",
    ]
    for path in paths:
        response = page.goto(path)
        status = response.status if response is not None else None
        html = page.locator("html")
        if status != 200 or html.get_attribute("dir") != "rtl" or html.get_attribute("lang") != "ar":
            a11y.failures.append(
                f"staff (ar) {path}: HTTP {status}, dir={html.get_attribute('dir')}, "
                f"lang={html.get_attribute('lang')} (expected 200, rtl, ar)"
            )
            continue
        a11y.check(page, f"staff (ar) {path}")


def test_demo_pages_pass_wcag_checks_for_every_role_anonymously_and_in_arabic(
    browser: Any, live_url: str, demo: dict[str, int], a11y: AccessibilityReport
):
    """One test, because loading the demo is the slow part (and the flush after a live-server test
    would remove it): every role's sweep, the anonymous catalogue and the Arabic pages run on one
    load, each visitor in a fresh browser session, and every failure of every visitor is reported."""
    for visitor in [*ROLES, "anonymous", "staff (ar)"]:
        context = browser.new_context(base_url=live_url, viewport=DESKTOP, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        try:
            if visitor == "anonymous":
                checked = _sweep(context.new_page(), "anonymous", demo_pages(None), a11y)
                if len(checked) != 2:
                    a11y.failures.append(f"anonymous: expected the 2 public pages, checked {checked}")
            elif visitor == "staff (ar)":
                _arabic_sweep(context.new_page(), a11y)
            else:
                _role_sweep(context, visitor, a11y)
        finally:
            context.close()
    a11y.assert_clean()
