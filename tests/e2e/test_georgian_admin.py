"""Crawl the Georgian admin in Chromium as every demo role (issue 11, items 1-2).

Each role signs in with a browser that asks for English (en-GB): a staff member who chose no
language gets Georgian. From the dashboard the crawl follows every admin link of the menus
(the sidebar's own data included) and of each page it opens, up to two pages per kind of URL
(ids replaced), and reads what a person sees: the rendered text (`innerText`, after the
JavaScript drew the sidebar and widgets and after CSS upper-casing) and the tooltips and labels
for screen readers. It fails on an English word outside the allow-list or the demo's own data,
and on any Mtavruli letter. The result per role is printed (`-s`) for the closing report.
"""

import json
import os
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from cms.core.testing.georgian_text import english_words, mtavruli

pytestmark = pytest.mark.e2e

DEMO_ROLES = ("editor", "manager", "service", "mayor", "analyst", "admin")
PASSWORD = "demo-password-for-the-crawl"
#: Links that end a session, change data on GET, download files or leave the admin.
SKIP = re.compile(
    r"logout|/export|download|workbook|[?&]export=|/jsi18n|/sprite|/api/|/preview/|"
    r"/view_draft/|/revisions/\d+/view/|\.(xlsx|csv|pdf|png|jpg|svg)$"
)
PER_KIND = 2
MAX_PAGES = int(os.environ.get("GEORGIAN_CRAWL_MAX_PAGES", "80"))

CATALOGUE_LOADED = (
    "() => !!(window.django && window.django.catalog && Object.keys(window.django.catalog).length)"
)
#: The page is drawn: loaded, the sidebar rendered by its script, the JavaScript catalogue in.
DRAWN = """() => document.readyState === 'complete'
  && !document.querySelector('.sidebar-loading')
  && (!document.querySelector('script[src*="jsi18n"]')
      || !!(window.django && window.django.catalog && Object.keys(window.django.catalog).length))"""


class InFlight:
    """Counts the page's requests still open: the crawl reads a screen once its fetches are done.

    Playwright's "networkidle" waits for half a second without traffic on every page; counting
    the open requests waits exactly as long as the widgets' own fetches take.
    """

    def __init__(self, page) -> None:
        self.open: set = set()
        page.on("request", lambda request: self.open.add(request))
        page.on("requestfinished", lambda request: self.open.discard(request))
        page.on("requestfailed", lambda request: self.open.discard(request))

    def settle(self, page, timeout_ms: int = 10_000) -> None:
        page.wait_for_function(DRAWN, timeout=timeout_ms)
        waited = 0
        while self.open and waited < timeout_ms:
            page.wait_for_timeout(25)
            waited += 25


READ_SCREEN = """() => {
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
    if (el.closest('[hidden],template,script,style,code,pre')) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  for (const props of document.querySelectorAll('script[type="application/json"]')) {
    links.push(...(props.textContent.match(/\\/admin\\/[^"\\\\]*/g) || []));
  }
  return {texts, links};
}"""


@pytest.fixture
def demo(transactional_db, settings, monkeypatch):
    """The whole demo (pages, submissions, results) and its staff accounts, as `make run`."""
    from django.core.management import call_command

    from cms.core.tests.factories import UserFactory

    settings.STAFF_TWO_FACTOR_REQUIRED = False
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("load_demo_data", verbosity=0)
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    admin.set_password(PASSWORD)
    admin.save()


def kind_of(path: str) -> str:
    return re.sub(r"\d+", "{id}", path)


def crawl(page, base: str, allowed: frozenset[str]) -> tuple[dict, dict, int]:
    in_flight = InFlight(page)
    english: dict[str, list[str]] = {}
    capitals: dict[str, list[str]] = {}
    queue, seen_kinds, seen = ["/admin/"], defaultdict(int), set()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or SKIP.search(path) or seen_kinds[kind_of(path)] >= PER_KIND:
            continue
        seen.add(path)
        seen_kinds[kind_of(path)] += 1
        response = page.goto(base + path)
        if response is None or response.status >= 400:
            continue
        if "html" not in (response.headers.get("content-type") or ""):
            continue  # a chooser's JSON, a file: not a screen
        if not urlsplit(page.url).path.startswith("/admin/"):
            continue
        in_flight.settle(page)
        visited += 1
        screen = page.evaluate(READ_SCREEN)
        text = "\n".join(screen["texts"])
        lines = [line for line in text.splitlines() if english_words(line, allowed)]
        if lines and not page.evaluate(CATALOGUE_LOADED):
            # The JavaScript catalogue did not arrive (a slow shared test server): read the
            # page again once it did, so only strings that really are English are reported.
            page.reload(wait_until="networkidle")
            screen = page.evaluate(READ_SCREEN)
            text = "\n".join(screen["texts"])
            lines = [line for line in text.splitlines() if english_words(line, allowed)]
        if lines:
            english[path] = sorted(set(lines))
        if found := mtavruli(text):
            capitals[path] = found
        for link in screen["links"]:
            target = urlsplit(link)
            if target.netloc or not target.path.startswith("/admin/"):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return english, capitals, visited


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_a_role_meets_no_english_and_no_mtavruli(live_server, demo, browser, username) -> None:
    from feedback_forms.tests.test_admin_georgian import data_words

    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/admin/login/")
    assert page.locator("html").get_attribute("lang") == "ka"
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")
    english, capitals, visited = crawl(page, live_server.url, data_words())
    context.close()
    summary = {
        "role": username,
        "pages": visited,
        "english_pages": len(english),
        "mtavruli_pages": len(capitals),
        "english": {path: lines[:5] for path, lines in english.items()},
    }
    print("\nGEORGIAN-CRAWL", json.dumps(summary, ensure_ascii=False))
    if report := os.environ.get("GEORGIAN_CRAWL_REPORT"):  # one JSON line per role
        with open(report, "a", encoding="utf-8") as file:
            file.write(json.dumps(summary, ensure_ascii=False) + "\n")
    assert visited >= 10
    assert capitals == {}, capitals
    assert english == {}, "\n".join(f"{path}: {lines[:6]}" for path, lines in english.items())
