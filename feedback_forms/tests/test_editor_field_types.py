"""The question types only this platform offers editors: a place and a program category.

An editor adds them in the form builder like any question; the resident sees the places grouped
by administrative unit and the categories in their own language, and an answer that is not in
the reference data is refused with a translated message.
"""

import pytest
from django.utils import translation

from feedback_forms.form_classes import form_class_for
from feedback_forms.tests.factories import NeedsFormFieldFactory
from programs.models import ProgramCategory, Settlement

pytestmark = pytest.mark.django_db


@pytest.fixture
def place_and_category(needs_form):
    place = NeedsFormFieldFactory(
        page=needs_form, label="სად ცხოვრობთ?", field_type="settlement", required=True
    )
    category = NeedsFormFieldFactory(
        page=needs_form, label="რომელ სფეროს ეხება?", field_type="category", required=False
    )
    return needs_form, place.clean_name, category.clean_name


@pytest.mark.parametrize("language", ["ka", "en"])
def test_places_are_grouped_by_unit_and_categories_named_in_the_readers_language(
    place_and_category, language: str
) -> None:
    page, place_name, category_name = place_and_category
    with translation.override(language):
        form = form_class_for(page)(page=page)
        groups = dict(list(form.fields[place_name].widget.choices)[1:])
        city = Settlement.objects.select_related("unit").get(kind="city")
        assert (city.pk, getattr(city, f"name_{language}")) in groups[
            getattr(city.unit, f"name_{language}")
        ]
        assert sum(len(choices) for choices in groups.values()) == Settlement.objects.count()
        labels = {label for _value, label in form.fields[category_name].choices if _value}
        assert labels == set(ProgramCategory.objects.values_list(f"name_{language}", flat=True))


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("ka", "აირჩიეთ დასაშვები მნიშვნელობა. ეს არჩევანი დასაშვები არ არის."),
        ("en", "Select a valid choice. That choice is not one of the available choices."),
    ],
)
def test_an_answer_outside_the_reference_data_is_refused_in_the_residents_language(
    place_and_category, language: str, message: str
) -> None:
    page, place_name, category_name = place_and_category
    with translation.override(language):
        form = form_class_for(page)(
            {place_name: "999999", category_name: "no-such-category"}, page=page
        )
        assert not form.is_valid()
        assert form.errors[place_name] == [message]
        assert form.errors[category_name] == [message]


def test_a_valid_place_and_category_are_the_reference_rows(place_and_category) -> None:
    page, place_name, category_name = place_and_category
    city = Settlement.objects.get(kind="city")
    category = ProgramCategory.objects.get(slug="social")
    form = form_class_for(page)({place_name: str(city.pk), category_name: "social"}, page=page)
    form.is_valid()
    assert place_name not in form.errors and category_name not in form.errors
    assert (form.cleaned_data[place_name], form.cleaned_data[category_name]) == (city, category)
