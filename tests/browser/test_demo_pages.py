"""Every main page of the application passes the automated WCAG 2.1 A/AA checks (axe-core) on the full
demo programme (`load_programme(scale=0)`), logged in as each demo role through the real login form,
anonymously for the public catalogue, and in Arabic (right-to-left) for three key pages.

Each page is first requested and only checked when the role may see it (200): a 403 or 404 means the
role has no access, and that page is skipped for it. Any other status is a failure.

The live server needs transactional tests, which end with a flush of every table (see conftest.py), so
the demo is loaded for each test rather than once for the module.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import AccessibilityReport
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


@pytest.mark.parametrize("email", ROLES)
def test_demo_pages_of_the_role_pass_wcag_checks(
    page: Any, demo: dict[str, int], a11y: AccessibilityReport, email: str
):
    from capdev.accounts.models import User

    user = User.objects.get(email=email)
    log_in_demo(page, email)
    paths = demo_pages(user)
    checked = _sweep(page, email.split("@")[0], paths, a11y)
    print(f"{email}: {len(checked)} page(s) checked: {' '.join(checked)}")
    assert "/dashboard/" in checked
    if email.startswith("staff@"):
        assert checked == paths, "programme staff may open every page of the sweep"
    a11y.assert_clean()


def test_public_catalogue_passes_wcag_checks_anonymously(
    page: Any, demo: dict[str, int], a11y: AccessibilityReport
):
    checked = _sweep(page, "anonymous", demo_pages(None), a11y)
    assert len(checked) == 2, checked
    a11y.assert_clean()


def test_key_demo_pages_in_arabic_are_rtl_and_pass_wcag_checks(
    page: Any, demo: dict[str, int], a11y: AccessibilityReport
):
    from capdev.actions.models import Action

    brazil_3 = Action.objects.get(demo_key="brazil-3")
    log_in_demo(page, "staff@capdev.example")
    switch_language(page, "ar")
    for path in ["/dashboard/", f"/actions/{brazil_3.pk}/", "/activities/calendar/"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("dir") == "rtl", path
        assert page.locator("html").get_attribute("lang") == "ar", path
        a11y.check(page, f"staff (ar) {path}")
    a11y.assert_clean()
