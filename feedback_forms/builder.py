"""Wagtail's form builder, extended with the field types a municipality needs."""

from typing import Any

from anyascii import anyascii
from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractFormField

from feedback_forms.fields import GroupedSettlementField, LocalizedModelChoiceField, RatingField

MUNICIPAL_FIELD_CHOICES = (
    *FORM_FIELD_CHOICES,
    ("rating", _("Rating 1-5")),
    ("settlement", _("Administrative unit and settlement")),
    ("category", _("Program category")),
)

#: Names the journey itself sends besides the questions: hidden fields of the web journey
#: (feedback_forms.views, the honeypot of feedback_forms.protection), the keys of the API's
#: bodies and the CSRF token.
JOURNEY_FIELD_NAMES = frozenset(
    {
        "answers",
        "program",
        "website",
        "form_token",
        "idempotency_key",
        "action",
        "csrfmiddlewaretoken",
    }
)


def reserved_field_names() -> frozenset[str]:
    """Names an editor's question never takes: every system question of every form class
    (read from the forms themselves, so a system question added later is reserved at once)
    and the journey's own fields."""
    from feedback_forms.form_classes import NeedPhotoMixin
    from feedback_forms.forms import INVITATION_FIELD, EvaluationForm, NeedForm

    system = {
        name for form in (EvaluationForm, NeedForm, NeedPhotoMixin) for name in form.base_fields
    }
    return frozenset({*system, INVITATION_FIELD, *JOURNEY_FIELD_NAMES})


def ascii_field_name(label: str) -> str:
    """A stable ASCII snake_case name from a label in any script ("შეფასება" -> "shepaseba")."""
    name = slugify(anyascii(label or "")).replace("-", "_")[:60].strip("_") or "question"
    if name[0].isdigit():
        name = f"q_{name}"
    if name in reserved_field_names():
        name = f"{name}_extra"
    return name


class MunicipalFormBuilder(FormBuilder):
    def create_rating_field(self, field: AbstractFormField, options: dict[str, Any]) -> forms.Field:
        options.pop("initial", None)
        return RatingField(**options)

    def create_settlement_field(
        self, field: AbstractFormField, options: dict[str, Any]
    ) -> forms.Field:
        from programs.models import Settlement

        options.pop("initial", None)
        return GroupedSettlementField(queryset=Settlement.objects.with_unit(), **options)

    def create_category_field(
        self, field: AbstractFormField, options: dict[str, Any]
    ) -> forms.Field:
        from programs.models import ProgramCategory

        options.pop("initial", None)
        return LocalizedModelChoiceField(
            queryset=ProgramCategory.objects.all(), to_field_name="slug", **options
        )

    def create_multiline_field(
        self, field: AbstractFormField, options: dict[str, Any]
    ) -> forms.Field:
        options["max_length"] = 5000
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **options)
