"""An editor's question never takes a system question's name: the reserved names are read from
the system forms themselves, so a system question added later is reserved at once."""

import pytest
from django import forms

from feedback_forms.builder import JOURNEY_FIELD_NAMES, ascii_field_name, reserved_field_names
from feedback_forms.form_classes import NeedPhotoMixin
from feedback_forms.forms import INVITATION_FIELD, EvaluationForm, NeedForm


def test_every_system_question_and_journey_field_is_reserved() -> None:
    reserved = reserved_field_names()
    for form in (EvaluationForm, NeedForm, NeedPhotoMixin):
        assert set(form.base_fields) <= reserved, form.__name__
    assert INVITATION_FIELD in reserved
    assert reserved >= JOURNEY_FIELD_NAMES
    assert "other_place" in reserved  # the hand-written list had forgotten it


@pytest.mark.parametrize("form", [EvaluationForm, NeedForm, NeedPhotoMixin])
def test_a_system_question_added_later_is_reserved(monkeypatch, form) -> None:
    assert ascii_field_name("Favourite colour") == "favourite_colour"
    fields = {**form.base_fields, "favourite_colour": forms.CharField()}
    monkeypatch.setattr(form, "base_fields", fields)
    assert "favourite_colour" in reserved_field_names()
    assert ascii_field_name("Favourite colour") == "favourite_colour_extra"


@pytest.mark.django_db
def test_an_editors_question_named_like_a_system_one_keeps_both(needs_form) -> None:
    from feedback_forms.form_classes import form_class_for
    from feedback_forms.tests.factories import NeedsFormFieldFactory

    question = NeedsFormFieldFactory(page=needs_form, label="Other place", field_type="singleline")
    assert question.clean_name == "other_place_extra"
    fields = form_class_for(needs_form)(page=needs_form).fields
    assert {"other_place", "other_place_extra"} <= set(fields)
    assert fields["other_place_extra"].label == "Other place"
