"""Browser tests: Debian's chromium driven by Playwright (sync API) against pytest-django's live server.

- One chromium for all the browser tests (`Chromium`, behind the session-scoped `browser`), stopped
  as soon as the run leaves them, and a fresh browser context per test.
- The live server needs transactional tests, which end with a flush of every table. That flush would
  also delete the reference data loaded by data migrations (countries, thematic areas) that the
  cast and the rest of the suite rely on, so every browser test uses serialized rollback (Django
  restores the post-migration contents before each test) and the run restores them once more at
  the end, leaving a reused test database (`--reuse-db`) as migrations left it.
- Without /usr/bin/chromium the tests skip, except in CI (CI=true) or with CAPDEV_REQUIRE_BROWSER=1,
  where they fail: a CI run that silently skipped the browser would prove nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from conftest import PASSWORD, Cast

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 15_000


def browser_required() -> bool:
    """CI and CAPDEV_REQUIRE_BROWSER=1 turn a missing browser into a failure instead of a skip."""
    return os.environ.get("CI", "").strip().lower() == "true" or os.environ.get(
        "CAPDEV_REQUIRE_BROWSER", ""
    ).strip() in {"1", "true"}


def _unavailable(reason: str) -> None:
    if browser_required():
        pytest.fail(
            f"{reason} (browser tests are required: CI=true or CAPDEV_REQUIRE_BROWSER=1)", pytrace=False
        )
    pytest.skip(reason)


class Chromium:
    """The one headless chromium of the test run, shared by every copy of the `browser` fixture.

    It starts on first use and stops as soon as the run leaves the browser tests (see
    `_stop_chromium_after_the_last_browser_test`), so Playwright's event loop never outlives them:
    Playwright refuses to start a second sync API inside a running loop, and code such as
    `asyncio.run` fails in a thread where one runs.

    Playwright's sync API keeps an asyncio loop running in the main thread while it is up. Django's
    async-safety check would then refuse every ORM call made by the tests (the cast, the flush
    between tests), so DJANGO_ALLOW_ASYNC_UNSAFE is set while chromium runs. And Django keeps
    connections in a thread-local while no loop runs, but in a context-local once one does: the
    same connection objects are handed to both, so the tests, pytest-django's flush and serialized
    rollback all see one connection per database.
    """

    def __init__(self) -> None:
        self._manager: Any = None
        self._browser: Any = None
        self._shared: list[str] = []
        self._env_before: str | None = None

    @property
    def running(self) -> bool:
        return self._browser is not None

    def start(self) -> None:
        if self.running:
            return
        from playwright.sync_api import sync_playwright

        self._env_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        wrappers = {alias: connections[alias] for alias in connections}
        self._manager = sync_playwright()
        playwright = self._manager.__enter__()
        for alias, wrapper in wrappers.items():
            setattr(connections._connections, alias, wrapper)
        self._shared = list(wrappers)
        self._browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

    def stop(self) -> None:
        if self._manager is None:
            return
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            for alias in self._shared:
                if hasattr(connections._connections, alias):
                    delattr(connections._connections, alias)
            self._shared = []
            manager, self._manager = self._manager, None
            manager.__exit__(None, None, None)
            if self._env_before is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = self._env_before

    def __getattr__(self, name: str) -> Any:
        """Everything else is Playwright's Browser (`new_context`, `new_page`, ...)."""
        if name.startswith("_"):
            raise AttributeError(name)
        self.start()
        return getattr(self._browser, name)


CHROMIUM_ENGINE = Chromium()


@pytest.fixture(scope="session")
def _restore_migrated_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """At the end of the run, put back what the migrations loaded (the browser tests' flush removed
    it), so that a test database kept for the next run (`--reuse-db`) is as migrations left it.
    pytest-django runs the transactional tests after all the others, so no later test misses it."""
    from django.contrib.contenttypes.models import ContentType

    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents and not ContentType.objects.using(connection.alias).exists():
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="session")
def browser(_restore_migrated_data: None) -> Iterator[Chromium]:
    """The headless chromium (started on first use), or a skip/failure when it is not installed."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if not AXE.exists():
        _unavailable(f"{AXE} is missing: run `npm ci && uv run python scripts/vendor_assets.py`")
    try:
        yield CHROMIUM_ENGINE
    finally:
        CHROMIUM_ENGINE.stop()


def _next_test_uses_the_browser(request: pytest.FixtureRequest) -> bool:
    items = request.session.items
    try:
        position = items.index(request.node)  # type: ignore[arg-type]
    except ValueError:
        return False
    return position + 1 < len(items) and "browser" in getattr(items[position + 1], "fixturenames", ())


@pytest.fixture(autouse=True)
def _stop_chromium_after_the_last_browser_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """Stop chromium (and its event loop) when the next test does not need it. Autouse fixtures are
    set up first, so this runs after the test's contexts are closed."""
    yield
    if CHROMIUM_ENGINE.running and not _next_test_uses_the_browser(request):
        CHROMIUM_ENGINE.stop()


@pytest.fixture
def live_url(django_db_serialized_rollback: None, live_server: Any) -> str:
    """The live server's base URL; using it makes a test transactional with serialized rollback."""
    return str(live_server.url)


@pytest.fixture
def context(browser: Any, live_url: str) -> Iterator[Any]:
    """A fresh browser context (cookies, storage) per test, in English on a desktop screen."""
    ctx = browser.new_context(base_url=live_url, viewport=DESKTOP, locale="en-GB")
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.set_default_navigation_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    return context.new_page()


@pytest.fixture
def cast(live_url: str, cast: Cast) -> Cast:
    """The standing cast of the root conftest, in the transactional database the live server shares.

    The root fixture asks for `db`; pytest-django gives transactional access instead because the test
    uses the live server, and serialized rollback has put the reference data back before it runs.
    """
    return cast


def log_in(page: Any, user: Any) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")


def follow_nav_link(page: Any, label: str) -> None:
    """Click a page of the navigation bar, opening the menu (Programme, Learning, Directory) that
    holds it when it is not on the bar itself."""
    nav = page.get_by_role("navigation", name="Main navigation")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        folded = page.get_by_role("link", name=label, exact=True, include_hidden=True)
        holder = nav.locator("li.dropdown", has=folded)
        toggle = holder.get_by_role("button")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    link.click()


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), summary: n.failureSummary || ''})),
  }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(_AXE_RUN, AXE_TAGS))


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} accessibility violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"      {' '.join(node['target'])}  -- {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"      ... and {len(v['nodes']) - 10} more element(s)")
    return "\n".join(lines)


@dataclass
class AccessibilityReport:
    """Collects axe results over several pages so one test reports every failing page at once."""

    pages: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def check(self, page: Any, label: str | None = None) -> None:
        where = label or page.url
        self.pages.append(where)
        violations = axe_violations(page)
        if violations:
            self.failures.append(format_violations(where, violations))

    def assert_clean(self) -> None:
        if self.failures:
            pytest.fail(
                f"{len(self.failures)} of {len(self.pages)} page(s) fail WCAG 2.1 AA checks:\n\n"
                + "\n\n".join(self.failures),
                pytrace=False,
            )


@pytest.fixture
def a11y() -> AccessibilityReport:
    return AccessibilityReport()
