"""A visitor finds a program of their administrative unit and reads it in both languages."""

import pytest

from tests.e2e.waiting import expect

pytestmark = pytest.mark.e2e


def test_visitor_filters_by_unit_and_reads_a_program_in_both_languages(
    live_server, demo_site, page
):
    page.goto(live_server.url + "/programs/")
    page.get_by_label("ადმინისტრაციული ერთეული").select_option(label="მაღლაკი")
    page.get_by_role("button", name="პროგრამების ჩვენება").click()
    page.wait_for_url("**/programs/?*unit=05*")

    titles = page.locator(".program-card__title").all_inner_texts()
    assert "სოფლის გზების რეაბილიტაცია" in titles
    assert "სასმელი წყლის მიწოდების გაუმჯობესება" not in titles  # covers other units only

    page.get_by_role("link", name="სოფლის გზების რეაბილიტაცია").click()
    page.wait_for_url("**/programs/rural-roads/")
    assert page.locator("h1").inner_text() == "სოფლის გზების რეაბილიტაცია"
    expect(page.get_by_text("მაღლაკი").first).to_be_visible()

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/programs/rural-roads/")
    assert page.locator("h1").inner_text() == "Rehabilitation of rural roads"
    expect(page.get_by_text("Infrastructure and Spatial Planning Service").first).to_be_visible()
