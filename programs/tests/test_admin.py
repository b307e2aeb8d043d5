"""Staff screens: taxonomy under "Municipality", the program listing, and who may publish."""

import pytest
from django.test import Client
from django.urls import reverse

from cms.core.roles import (
    ANALYSTS,
    CONTENT_EDITORS,
    MAYOR,
    PLATFORM_MANAGERS,
    SERVICE_REPRESENTATIVES,
)
from cms.core.tests.factories import staff_user
from programs.models import ProgramPage, Settlement

pytestmark = pytest.mark.django_db


def logged_in(client: Client, role) -> Client:
    client.force_login(staff_user(role, username=role.username))
    return client


def test_platform_managers_correct_reference_data(client: Client, reference_data) -> None:
    logged_in(client, PLATFORM_MANAGERS)
    settlement = Settlement.objects.filter(unit__code="13").first()
    url = reverse("wagtailsnippets_programs_settlement:edit", args=[settlement.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "unit": settlement.unit_id,
            "name_ka": "ფარცხანაყანები",
            "name_en": "Partskhanakanebi",
            "sort_order": 0,
            "kind": "village",
        },
    )
    assert response.status_code == 302
    settlement.refresh_from_db()
    assert settlement.name_ka == "ფარცხანაყანები"


@pytest.mark.parametrize("role", [SERVICE_REPRESENTATIVES, ANALYSTS, MAYOR, CONTENT_EDITORS])
def test_other_roles_cannot_edit_reference_data(client: Client, reference_data, role) -> None:
    logged_in(client, role)
    settlement = Settlement.objects.first()
    url = reverse("wagtailsnippets_programs_settlement:edit", args=[settlement.pk])
    response = client.post(
        url,
        {
            "unit": settlement.unit_id,
            "name_ka": "x",
            "name_en": "x",
            "sort_order": 0,
            "kind": "village",
        },
    )
    assert response.status_code in (302, 403)
    settlement.refresh_from_db()
    assert settlement.name_ka != "x"


def test_reference_data_is_grouped_under_one_municipality_menu(
    client: Client, reference_data
) -> None:
    logged_in(client, PLATFORM_MANAGERS)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "municipality" in html
    listing = client.get(reverse("wagtailsnippets_programs_administrativeunit:list"))
    assert listing.status_code == 200
    assert "მაღლაკი" in listing.content.decode()


def test_program_listing_filters_like_the_public_index(client: Client, demo_programs) -> None:
    logged_in(client, CONTENT_EDITORS)
    response = client.get(reverse("programs:index"), {"status": "planned"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "მცირე ფერმერების მხარდაჭერა" in html
    assert "სოფლის გზების რეაბილიტაცია" not in html


@pytest.mark.parametrize(
    ("role", "can_publish"),
    [
        (CONTENT_EDITORS, True),
        (PLATFORM_MANAGERS, False),
        (SERVICE_REPRESENTATIVES, False),
        (MAYOR, False),
        (ANALYSTS, False),
    ],
)
def test_only_editors_publish_programs(
    client: Client, demo_programs, role, can_publish: bool
) -> None:
    user = staff_user(role, username=role.username)
    page = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
    assert page.permissions_for_user(user).can_publish() is can_publish


def test_a_service_representative_cannot_publish_through_the_admin(
    client: Client, demo_programs
) -> None:
    logged_in(client, SERVICE_REPRESENTATIVES)
    page = ProgramPage.objects.get(slug="rural-roads", locale__language_code="ka")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {"title": "Hacked", "slug": page.slug, "action-publish": "publish"},
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == "სოფლის გზების რეაბილიტაცია"
