"""The export-jobs list names its filters as the listing does: "Administrative unit: Tskaltubo;
Status: New", never "Administrative unit: 5; status: new"."""

import pytest
from django.utils import translation

from feedback_forms.export_views import describe_filters
from programs.models import AdministrativeUnit, MunicipalService

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "ka"])
def test_filters_are_shown_with_names_not_ids(reference_data, language) -> None:
    unit = AdministrativeUnit.objects.order_by("code").last()
    service = MunicipalService.objects.first()
    query = {
        "administrative_unit": [str(unit.pk)],
        "status": ["new"],
        "service": [str(service.pk)],
    }
    with translation.override(language):
        described = describe_filters("need", query)
        unit_name = unit.name
        service_name = service.name
    assert unit_name in described and service_name in described
    assert f": {unit.pk}" not in described and f": {service.pk}" not in described
    assert ("New" if language == "en" else "ახალი") in described
    assert "new" not in described.replace("New", "")


def test_a_value_that_names_nothing_is_shown_as_stored(reference_data) -> None:
    with translation.override("en"):
        assert "999999" in describe_filters("need", {"administrative_unit": ["999999"]})
