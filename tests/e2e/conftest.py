"""Browser journeys: Playwright for Python driving Debian's Chromium, headless.

Without Chromium the journeys skip on a developer's machine but FAIL under CI (CI=true), so a
broken browser setup can never pass silently.
"""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    inside one unless told that this test-only use is safe, so the flag lives as long as the
    browser and no longer."""
    executable = chromium_path()
    if executable is None:
        missing_browser("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Playwright is not installed (pip install -r requirements-dev.txt)")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_FLAGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ServerRequests:
    """Requests the live server has begun and not yet finished, counted from Django's signals.

    Leaving a page is not the end of its requests: Wagtail's editor sends a beacon releasing its
    editing session as it is left, and the live server may still be writing it when the test's
    teardown flushes the database (SQLite: "database table is locked", 2026-12-03 CI)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.last_change = time.monotonic()

    def started(self, **kwargs: object) -> None:
        with self._lock:
            self.in_flight += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs: object) -> None:
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)
            self.last_change = time.monotonic()

    def wait_until_quiet(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Until no request is open and none has begun or ended for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                settled = self.in_flight == 0 and time.monotonic() - self.last_change >= quiet
            if settled:
                return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _live_server_answered_before_the_flush(transactional_db) -> Iterator[None]:
    """Every request the browser began is answered before the test's database is flushed.

    Set up after `transactional_db`, so torn down before its flush and after the `page` fixture
    (and a test's own contexts) have closed the browser's pages."""
    from django.core.signals import request_finished, request_started

    requests = ServerRequests()
    request_started.connect(requests.started, weak=False)
    request_finished.connect(requests.finished, weak=False)
    try:
        yield
    finally:
        requests.wait_until_quiet()
        request_started.disconnect(requests.started)
        request_finished.disconnect(requests.finished)


@pytest.fixture
def page(browser) -> Iterator:
    """A Georgian browser tab; left for a blank page first, so what leaving sends is sent now."""
    context = browser.new_context(locale="ka-GE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        try:
            page.goto("about:blank")
        finally:
            context.close()


@pytest.fixture
def demo_site(transactional_db) -> None:
    """Reference data and demo pages in the live server's database."""
    from home.demo import load_site_content
    from programs.demo import ensure_demo_programs
    from programs.reference_data import load_reference_data

    load_reference_data()
    ensure_demo_programs(load_site_content())
