"""A village that is not in the list can still record a need: the resident chooses "another
place in this administrative unit" and names it; staff see the name, can add it to the
reference data (which links the needs that named it), and the reports count it under its unit
(reports.tests.test_figures_property holds the figures to their recount with such needs)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cms.core.roles import PLATFORM_MANAGERS, SERVICE_REPRESENTATIVES
from cms.core.tests.factories import staff_user
from feedback_forms.exports import submission_columns
from feedback_forms.fields import OTHER_PLACE
from feedback_forms.models import Need
from feedback_forms.tests.factories import NeedFactory, need_data
from feedback_forms.tests.journey import hidden_fields, review, start
from programs.models import ProgramCategory, Settlement
from reports.aggregation import compute_figures

pytestmark = pytest.mark.django_db

URLS = {"ka": "/report-a-need/", "en": "/en/report-a-need/"}


def other_place_data(**overrides) -> dict:
    settlement = Settlement.objects.select_related("unit").first()
    data = need_data(settlement, ProgramCategory.objects.first())
    data.update(settlement=OTHER_PLACE, other_place="  ზედა   ფარცხანაყანევი ")
    data.update(overrides)
    return data


def test_the_form_offers_another_place_in_both_languages(client: Client, needs_form) -> None:
    ka = client.get(URLS["ka"]).content.decode()
    en = client.get(URLS["en"]).content.decode()
    assert f'<option value="{OTHER_PLACE}">სხვა ადგილი ამ ადმინისტრაციულ ერთეულში' in ka
    assert f'<option value="{OTHER_PLACE}">Another place in this administrative unit' in en
    assert 'name="other_place"' in en


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Enter the name of your town or village."), ("ka", "ჩაწერეთ თქვენი ქალაქის")],
)
def test_another_place_without_a_name_says_what_to_do_and_keeps_the_answers(
    client: Client, needs_form, instant_forms, language, message
) -> None:
    response = review(client, URLS[language], other_place_data(other_place=" "))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'id="id_other_place_error"' in html
    assert "ქუჩის განათება" in html  # the title the resident wrote is still there
    assert f'<option value="{OTHER_PLACE}" selected>' in html


def test_a_named_place_is_stored_under_its_unit(client: Client, needs_form, instant_forms) -> None:
    url = URLS["en"]
    data = other_place_data()
    checked = review(client, url, data, start(client, url))
    page = checked.content.decode()
    assert "Another place in this administrative unit" in page
    assert "ზედა ფარცხანაყანევი" in page
    sent = client.post(url, {**data, **hidden_fields(page), "action": "submit"})
    assert sent.status_code == 303
    need = Need.objects.get()
    assert need.settlement is None
    assert need.other_place == "ზედა ფარცხანაყანევი"  # spaces tidied, nothing else changed
    assert need.administrative_unit == Settlement.objects.first().unit


def test_a_listed_settlement_ignores_the_name_box(client: Client, needs_form, instant_forms):
    url = URLS["en"]
    settlement = Settlement.objects.first()
    data = other_place_data(settlement=str(settlement.pk), other_place="typed anyway")
    checked = review(client, url, data)
    client.post(url, {**data, **hidden_fields(checked.content.decode()), "action": "submit"})
    need = Need.objects.get()
    assert need.settlement == settlement and need.other_place == ""


def test_the_api_still_asks_for_a_listed_settlement(client: Client, needs_form) -> None:
    """The API's bodies name a listed settlement: "other" is refused, never a 500."""
    settlement = Settlement.objects.select_related("unit").first()
    body = {
        "citizen": True,
        "birth_date": "1985-03-15",
        "personal_number": "01001012345",
        "registered_resident": True,
        "administrative_unit": settlement.unit.code,
        "settlement": "other",
        "category": ProgramCategory.objects.first().slug,
        "title": "t",
        "description": "d",
        "consent": True,
    }
    response = client.post("/api/v1/needs", body, content_type="application/json")
    assert response.status_code == 422
    assert "settlement" in response.json()["errors"]


@pytest.fixture
def unlisted_needs(reference_data):
    unit = Settlement.objects.select_related("unit").first().unit
    return [
        NeedFactory(settlement=None, administrative_unit=unit, other_place=name)
        for name in ("ახალსოფელი", "ახალსოფელი", "ზედა უბანი")
    ]


def test_staff_see_the_named_place_in_listing_inspect_and_export(
    client: Client, unlisted_needs
) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    listing = client.get(reverse("wagtailsnippets_feedback_forms_need:list")).content.decode()
    assert "ახალსოფელი (სიაში არ არის)" in listing  # the admin is Georgian first
    need = unlisted_needs[0]
    inspect = client.get(
        reverse("wagtailsnippets_feedback_forms_need:inspect", args=[need.pk])
    ).content.decode()
    assert "ახალსოფელი" in inspect
    with translation.override("en"):
        columns = {column.header: column for column in submission_columns("need")}
    assert columns["Place not in the list"].value(need) == "ახალსოფელი"


def test_a_manager_adds_the_named_place_to_the_settlements(client: Client, unlisted_needs) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    url = reverse("feedback_unlisted_places")
    page = client.get(url).content.decode()
    assert "ახალსოფელი" in page and "ზედა უბანი" in page
    unit = unlisted_needs[0].administrative_unit
    figures_before = compute_figures("2026-H2", unlisted_needs[0].submitted_on)
    by_unit = {row["code"]: row["count"] for row in figures_before["needs_by_unit"]}
    assert by_unit[unit.code] == 3  # counted under the unit before anyone adds the place
    response = client.post(
        url,
        {
            "prefix": "p0",
            "p0-unit": unit.pk,
            "p0-named": "ახალსოფელი",
            "p0-name_ka": "ახალსოფელი",
            "p0-name_en": "Akhalsopeli",
            "p0-kind": "village",
        },
        follow=True,
    )
    assert response.status_code == 200
    settlement = Settlement.objects.get(unit=unit, name_ka="ახალსოფელი")
    assert settlement.name_en == "Akhalsopeli"
    linked = Need.objects.filter(settlement=settlement)
    assert linked.count() == 2
    assert set(linked.values_list("other_place", flat=True)) == {"ახალსოფელი"}  # kept as typed
    assert Need.objects.filter(settlement__isnull=True).count() == 1
    assert "ახალსოფელი" not in client.get(url).content.decode()


def test_adding_a_place_needs_both_names(client: Client, unlisted_needs) -> None:
    client.force_login(staff_user(PLATFORM_MANAGERS, username="manager"))
    unit = unlisted_needs[0].administrative_unit
    response = client.post(
        reverse("feedback_unlisted_places"),
        {"prefix": "p0", "p0-unit": unit.pk, "p0-named": "ახალსოფელი", "p0-kind": "village"},
    )
    assert response.status_code == 400
    assert not Settlement.objects.filter(name_ka="ახალსოფელი").exists()


def test_a_service_representative_cannot_add_settlements(client: Client, unlisted_needs) -> None:
    client.force_login(staff_user(SERVICE_REPRESENTATIVES, username="nino"))
    url = reverse("feedback_unlisted_places")
    assert client.get(url).status_code == 403
    unit = unlisted_needs[0].administrative_unit
    response = client.post(
        url,
        {
            "prefix": "p0",
            "p0-unit": unit.pk,
            "p0-named": "ახალსოფელი",
            "p0-name_ka": "ახალსოფელი",
            "p0-name_en": "Akhalsopeli",
            "p0-kind": "village",
        },
    )
    assert response.status_code == 403
    assert not Settlement.objects.filter(name_ka="ახალსოფელი").exists()
