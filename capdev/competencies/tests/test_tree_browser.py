"""The authoring tree in a real browser: a version of 100+ items, reordered with the keyboard, edited
inline, searched, on a laptop and on a phone, with zero WCAG 2.1 AA violations (axe-core).

Uses the browser fixtures of tests/browser/conftest.py (one headless chromium, the live server,
the standing cast in its transactional database)."""

from __future__ import annotations

from typing import Any

import pytest

from capdev.competencies import services
from capdev.competencies.models import CompetencyItem, FrameworkVersion
from capdev.competencies.tests.conftest import item
from conftest import Cast
from tests.browser import conftest as browser_conftest
from tests.browser.conftest import PHONE, AccessibilityReport, log_in, screenshot

pytestmark = pytest.mark.browser


def _is_fixture(obj: Any) -> bool:
    return type(obj).__name__ == "FixtureFunctionDefinition" or hasattr(obj, "_pytestfixturefunction")


# This file lives beside the app's code, outside tests/browser/: take every fixture of that package
# (browser, live_url, context, page, the live-server cast, a11y and what they depend on).
globals().update({name: obj for name, obj in vars(browser_conftest).items() if _is_fixture(obj)})


@pytest.fixture
def big_draft(cast: Cast) -> FrameworkVersion:
    """A draft of 4 domains × 5 competencies × 4 indicators: 104 items."""
    framework = services.create_framework(
        actor=cast.staff, title="Trainer competency framework", owner=cast.org_a, languages=["en"]
    )
    version = framework.versions.get()
    fast_tree(version, domains=4, competencies=5, indicators=4)
    return version


def fast_tree(version: FrameworkVersion, *, domains: int, competencies: int, indicators: int) -> None:
    """The same tree as `build_tree` (codes, kinds, natures, statements), written level by level
    with bulk_create: the browser tests are about the page, not about the services."""
    natures = ["knowledge", "skill", "attitude"]
    roots = CompetencyItem.objects.bulk_create(
        CompetencyItem(
            version=version, position=d, code=f"D{d + 1}", kind="domain", statement=f"Domain {d + 1}"
        )
        for d in range(domains)
    )
    middle = CompetencyItem.objects.bulk_create(
        CompetencyItem(
            version=version,
            parent=root,
            position=c,
            code=f"{root.code}.{c + 1}",
            kind="competency",
            nature=natures[(d + c) % 3],
            statement=f"Competency {d + 1}.{c + 1}",
        )
        for d, root in enumerate(roots)
        for c in range(competencies)
    )
    CompetencyItem.objects.bulk_create(
        CompetencyItem(
            version=version,
            parent=competency,
            position=i,
            code=f"{competency.code}.{i + 1}",
            kind="indicator",
            nature=natures[i % 3],
            statement=f"Indicator {competency.code[1:]}.{i + 1}",
        )
        for competency in middle
        for i in range(indicators)
    )


def children_codes(version: FrameworkVersion, code: str) -> list[str]:
    return list(item(version, code).children.order_by("position").values_list("code", flat=True))


def wait_for_status(page: Any, text: str) -> None:
    page.wait_for_function(
        "(text) => document.getElementById('tree-status').textContent.includes(text)", arg=text
    )


def test_staff_reorder_by_keyboard_and_edit_inline_a_tree_of_100_items(
    page: Any, cast: Cast, big_draft: FrameworkVersion, a11y: AccessibilityReport
):
    log_in(page, cast.staff)
    page.goto(big_draft.get_absolute_url())
    assert page.locator("#tree .tree-node").count() == 104
    assert "104 items" in page.locator("#tree-summary").inner_text()
    a11y.check(page, "authoring tree (104 items)")
    screenshot(page, "competency-tree", full_page=False)

    # Keyboard: the handle of D2.3 takes the arrow keys; the tree comes back with the focus on it.
    handle = page.get_by_role("button", name="Move D2.3", exact=True)
    handle.focus()
    page.keyboard.press("ArrowUp")
    wait_for_status(page, "D2.3 moved: now 2 of 5 under D2.")
    assert children_codes(big_draft, "D2") == ["D2.1", "D2.3", "D2.2", "D2.4", "D2.5"]
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move D2.3"
    page.keyboard.press("ArrowRight")  # indent: under D2.1, its last sub-item
    wait_for_status(page, "D2.3 moved: now 5 of 5 under D2.1.")
    assert item(big_draft, "D2.3").parent.code == "D2.1"
    page.keyboard.press("ArrowLeft")  # and back out, just after D2.1
    wait_for_status(page, "D2.3 moved: now 2 of 5 under D2.")

    # The same moves are buttons in each item's menu.
    node = page.locator("li[data-code='D3.1']")
    node.locator(":scope > .tree-line").get_by_role("button", name="More actions for D3.1").click()
    node.locator(":scope > .tree-line").get_by_role("button", name="Move down").click()
    wait_for_status(page, "D3.1 moved: now 2 of 5 under D3.")
    assert children_codes(big_draft, "D3")[:2] == ["D3.2", "D3.1"]

    # A refused move says why, visibly and to screen readers, and changes nothing.
    page.get_by_role("button", name="Move D1", exact=True).focus()
    page.keyboard.press("ArrowUp")
    page.locator("#tree-alert .alert").wait_for()
    assert "already the first" in page.locator("#tree-alert").inner_text()

    # Inline edit: the form replaces the row, Save puts the row back, focus stays on the item.
    target = item(big_draft, "D1.1.1")
    page.get_by_role("link", name="Edit D1.1.1", exact=True).click()
    form = page.get_by_role("form", name="Edit D1.1.1")
    statement = form.get_by_label("Statement")
    statement.wait_for()
    assert page.evaluate("document.activeElement.name") == "statement"
    a11y.check(page, "authoring tree, inline edit form open")
    statement.fill("Names the stages of the training cycle and the output of each.")
    form.get_by_label("Type").select_option("knowledge")
    form.get_by_role("button", name="Save").click()
    wait_for_status(page, "D1.1.1 saved.")
    target.refresh_from_db()
    assert (target.statement, target.nature) == (
        "Names the stages of the training cycle and the output of each.",
        "knowledge",
    )
    assert "D1.1.1 Names the stages of the training cycle" in page.locator(f"#row-{target.pk}").inner_text()
    assert page.evaluate("document.activeElement.textContent").strip().startswith("Edit")

    # Search filters the tree in place and says how many items match.
    page.get_by_role("searchbox", name="Search in this framework").fill("Indicator 4.5")
    wait_for_status(page, "items match")
    visible = page.locator("#tree .tree-node:visible")
    assert visible.count() == 6  # D4, D4.5 and its 4 indicators
    a11y.check(page, "authoring tree, filtered")
    page.get_by_role("searchbox", name="Search in this framework").fill("")
    wait_for_status(page, "Search cleared")
    page.get_by_role("button", name="Collapse all").click()
    assert page.locator("#tree .tree-node:visible").count() == 4
    page.reload()
    assert page.locator("#tree .tree-node:visible").count() == 4, "folding is remembered for the tab"
    a11y.assert_clean()
    assert CompetencyItem.objects.filter(version=big_draft).count() == 104


def test_the_tree_reads_on_a_phone(
    browser: Any, live_url: str, cast: Cast, big_draft, a11y: AccessibilityReport
):
    ctx = browser.new_context(
        base_url=live_url,
        viewport=PHONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    ctx.set_default_timeout(15_000)
    phone = ctx.new_page()
    try:
        log_in(phone, cast.focal)  # the owner organisation's focal point edits its drafts
        phone.goto(big_draft.get_absolute_url())
        assert phone.get_by_role("button", name="Move D1.1", exact=True).is_visible()
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the tree scrolls sideways on a phone ({width}px wide)"
        phone.locator("#tree-heading").scroll_into_view_if_needed()
        screenshot(phone, "competency-tree-phone", full_page=False)
        a11y.check(phone, "authoring tree (phone)")
        a11y.assert_clean()
    finally:
        ctx.close()


def test_a_published_version_is_read_only_and_its_comparison_is_accessible(
    page: Any, cast: Cast, big_draft: FrameworkVersion, a11y: AccessibilityReport
):
    services.publish_version(big_draft, actor=cast.staff)
    draft = services.derive_version(big_draft, actor=cast.staff)
    services.update_item(item(draft, "D1.1"), actor=cast.staff, statement="Plans a whole training cycle")
    services.delete_item(item(draft, "D4.5"), actor=cast.staff)
    services.add_item(draft, actor=cast.staff, statement="Online delivery", nature="skill")
    services.shift_item(item(draft, "D2"), actor=cast.staff, direction="up")
    log_in(page, cast.trainer)
    page.goto(big_draft.get_absolute_url())
    assert page.locator("#tree .tree-node").count() == 104
    assert page.locator(".tree-handle").count() == 0
    a11y.check(page, "published tree (trainer)")
    page.context.clear_cookies()
    log_in(page, cast.staff)
    page.goto(f"/competencies/versions/{draft.pk}/compare/")
    for label in ("Added", "Removed", "Reworded", "Moved"):
        assert page.get_by_role("heading", name=label, exact=True).is_visible()
    screenshot(page, "competency-compare", full_page=False)
    a11y.check(page, "version comparison")
    a11y.assert_clean()
