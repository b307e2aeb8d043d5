"""Assertions that wait: a check read right after a click may see the page being left.

Playwright's `expect` retries until the page it waits for has arrived (or the timeout ends), where
`assert locator.is_visible()` reads the document of that instant, which under load is still the
one the click navigates away from. Imported lazily so that a machine without Playwright skips the
journeys (conftest) instead of failing to collect them.
"""

from typing import Any


def expect(locator: Any, message: str | None = None) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator, message)
