"""A visitor reads the home page in Georgian, switches to English, and staff reach the admin."""

import pytest

from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e


def test_visitor_switches_language_and_staff_reach_the_admin(live_server, demo_site, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ka"
    assert page.locator("h1").inner_text() == "მოქალაქეთა უკუკავშირის პლატფორმა"

    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Citizens' Feedback Platform"

    page.get_by_role("link", name="ქართული").click()
    page.wait_for_url(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "ka"

    page.goto(live_server.url + "/admin/login/")
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()


def test_skip_link_moves_focus_to_the_main_content(live_server, demo_site, page):
    page.goto(live_server.url + "/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_home_page_reads_on_a_phone(live_server, demo_site, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ka-GE")
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0
