"""Wagtail's form builder, extended with the field types a municipality needs."""

from anyascii import anyascii
from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from feedback_forms.fields import LocalizedModelChoiceField, RatingField, grouped_settlement_choices

MUNICIPAL_FIELD_CHOICES = (
    *FORM_FIELD_CHOICES,
    ("rating", _("Rating 1-5")),
    ("settlement", _("Administrative unit and settlement")),
    ("category", _("Program category")),
)

#: Names the system questions use; an editor's question never takes one of them.
RESERVED_FIELD_NAMES = frozenset(
    {
        "citizen",
        "birth_date",
        "personal_number",
        "used_program",
        "used_on",
        "overall_rating",
        "registered_resident",
        "administrative_unit",
        "settlement",
        "category",
        "title",
        "description",
        "consent",
        "contact_email",
        "contact_phone",
        "answers",
        "program",
        "website",
        "form_token",
        "idempotency_key",
        "action",
    }
)


def ascii_field_name(label: str) -> str:
    """A stable ASCII snake_case name from a label in any script ("შეფასება" -> "shepaseba")."""
    name = slugify(anyascii(label or "")).replace("-", "_")[:60].strip("_") or "question"
    if name[0].isdigit():
        name = f"q_{name}"
    if name in RESERVED_FIELD_NAMES:
        name = f"{name}_extra"
    return name


class MunicipalFormBuilder(FormBuilder):
    def create_rating_field(self, field, options) -> forms.Field:
        options.pop("initial", None)
        return RatingField(**options)

    def create_settlement_field(self, field, options) -> forms.Field:
        from programs.models import Settlement

        options.pop("initial", None)
        form_field = LocalizedModelChoiceField(queryset=Settlement.objects.with_unit(), **options)
        form_field.widget.choices = grouped_settlement_choices()
        return form_field

    def create_category_field(self, field, options) -> forms.Field:
        from programs.models import ProgramCategory

        options.pop("initial", None)
        return LocalizedModelChoiceField(
            queryset=ProgramCategory.objects.all(), to_field_name="slug", **options
        )

    def create_multiline_field(self, field, options) -> forms.Field:
        options["max_length"] = 5000
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **options)
