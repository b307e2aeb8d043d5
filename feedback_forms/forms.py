"""The system questions the rule requires, shared by the web journey, staff entry and the API.

One form class per kind holds every validation: the web form and the JSON API differ only in
how a date arrives (three boxes or "YYYY-MM-DD"), so both go through the same clean methods.
The editor's questions are appended by the form builder (see `build_form_class`).

Validation depends only on the answers themselves, never on who the personal number belongs
to: the beneficiary list and earlier evaluations are consulted by `feedback_forms.intake`
when a consented submission is stored (README, "No oracle").
"""

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cms.core.personal_numbers import digest_personal_number
from feedback_forms.builder import MunicipalFormBuilder
from feedback_forms.eligibility import (
    OLDEST_PLAUSIBLE_BIRTH_YEAR,
    is_adult_on,
    today_in_tbilisi,
)
from feedback_forms.fields import (
    LocalizedModelChoiceField,
    MonthYearField,
    RatingField,
    ThreeFieldDateField,
    grouped_settlement_choices,
)
from feedback_forms.periods import period_for_date

PHONE_PATTERN = re.compile(r"^\+?[0-9 ()\-]{6,20}$")
#: How far back an evaluated use may lie: the web form offers this year and the five before.
USED_ON_YEARS_BACK = 5

SYSTEM_FIELDS_BEFORE = ("citizen", "birth_date", "personal_number")
EVALUATION_FIELDS = ("used_program", "used_on", "overall_rating")
NEED_FIELDS = (
    "registered_resident",
    "administrative_unit",
    "settlement",
    "category",
    "title",
    "description",
)
SYSTEM_FIELDS_AFTER = ("contact_email", "contact_phone", "consent")


class SystemQuestionsForm(forms.Form):
    """Questions every submission answers; editors cannot remove them."""

    citizen = forms.BooleanField(
        label=_("I am a citizen of Georgia"),
        error_messages={
            "required": _(
                "Only citizens of Georgia can take part. Tick the box to confirm you are one."
            )
        },
    )
    birth_date = ThreeFieldDateField(
        label=_("Date of birth"),
        help_text=_("For example, 27 3 1985"),
        error_messages={"required": _("Enter your date of birth.")},
    )
    personal_number = forms.CharField(
        label=_("Personal number"),
        help_text=_(
            "11 digits, as on your ID card. We keep only a protected code made from it, never the number itself."
        ),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter your personal number.")},
    )
    contact_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("If you want an answer or a receipt by e-mail."),
        error_messages={"invalid": _("Enter an e-mail address like name@example.ge.")},
    )
    contact_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    consent = forms.BooleanField(
        label=_("I agree that City Hall processes my answers as described in the privacy notice"),
        error_messages={
            "required": _("To submit, you must agree to the processing of your answers.")
        },
    )

    date_field_class: type[forms.Field] = ThreeFieldDateField

    def __init__(
        self, *args, page=None, submitted_on: datetime.date | None = None, **kwargs
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.page = page
        self.submitted_on = submitted_on or today_in_tbilisi()

    @property
    def reporting_period(self) -> str:
        return period_for_date(self.submitted_on)

    def clean_birth_date(self) -> datetime.date:
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > self.submitted_on:
            raise ValidationError(_("Your date of birth must be in the past."), code="future")
        if birth_date.year < OLDEST_PLAUSIBLE_BIRTH_YEAR:
            raise ValidationError(_("Enter a real date of birth."), code="implausible")
        if not is_adult_on(birth_date, self.submitted_on):
            raise ValidationError(_("You must be 18 or older to take part."), code="under_18")
        return birth_date

    def clean_personal_number(self) -> str:
        value = self.cleaned_data["personal_number"]
        # Raises the translated message; digits of any script become ASCII digits first.
        self.person = digest_personal_number(value)
        return value

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not PHONE_PATTERN.fullmatch(phone):
            raise ValidationError(
                _("Enter a phone number in digits, for example 599 12 34 56."), code="phone"
            )
        return phone

    #: The editor's questions, set by build_form_class.
    extra_field_names: tuple[str, ...] = ()

    def extra_answers(self) -> dict[str, Any]:
        """The editor's questions' answers, JSON-ready, by stable field name."""
        return {
            name: json_ready(self.cleaned_data[name])
            for name in self.extra_field_names
            if self.cleaned_data.get(name) not in (None, "", [])
        }


def json_ready(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [json_ready(item) for item in value]
    if hasattr(value, "_meta"):
        return getattr(value, "slug", None) or getattr(value, "code", None) or value.pk
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class EvaluationForm(SystemQuestionsForm):
    used_program = forms.BooleanField(
        label=_("I have used this program or service"),
        error_messages={"required": _("Only people who used the program can evaluate it.")},
    )
    used_on = MonthYearField(
        years_back=USED_ON_YEARS_BACK,
        label=_("When did you use it?"),
        error_messages={"required": _("Choose the month and the year you used the program.")},
    )
    overall_rating = RatingField(label=_("Overall, how satisfied are you with the program?"))

    field_order = [*SYSTEM_FIELDS_BEFORE, *EVALUATION_FIELDS]

    def clean_used_on(self) -> datetime.date:
        used_on = self.cleaned_data["used_on"]
        if used_on > self.submitted_on:
            raise ValidationError(
                _("The date you used the program cannot be in the future."), code="future"
            )
        earliest = earliest_use(self.submitted_on)
        if used_on < earliest:
            raise ValidationError(
                _("The date you used the program must be in %(year)s or later.")
                % {"year": earliest.year},
                code="too_early",
            )
        return used_on

    # No clean() that looks at the beneficiary list or earlier evaluations: whether a personal
    # number is on a list, or has evaluated, is decided only once a consented submission is
    # stored (feedback_forms.intake), so no refusal here can tell anything about a number.


def earliest_use(day: datetime.date) -> datetime.date:
    return datetime.date(day.year - USED_ON_YEARS_BACK, 1, 1)


def next_period_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 7, 1) if day.month <= 6 else datetime.date(day.year + 1, 1, 1)


class NeedForm(SystemQuestionsForm):
    registered_resident = forms.BooleanField(
        label=_("I am registered in Tskaltubo Municipality"),
        error_messages={
            "required": _(
                "Needs can be recorded by people registered in Tskaltubo Municipality. Tick the box to confirm you are."
            )
        },
    )
    administrative_unit = LocalizedModelChoiceField(
        label=_("Administrative unit"),
        queryset=None,
        to_field_name="code",
        empty_label="—",
        error_messages={
            "required": _("Choose the administrative unit."),
            "invalid_choice": _("Choose an administrative unit from the list."),
        },
    )
    settlement = LocalizedModelChoiceField(
        label=_("Town or village"),
        queryset=None,
        error_messages={
            "required": _("Choose the town or village."),
            "invalid_choice": _("Choose a town or village from the list."),
        },
    )
    category = LocalizedModelChoiceField(
        label=_("What is it about?"),
        queryset=None,
        to_field_name="slug",
        empty_label="—",
        error_messages={
            "required": _("Choose what the need is about."),
            "invalid_choice": _("Choose a topic from the list."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("In a few words, for example: Street lighting on Rustaveli Street"),
        error_messages={"required": _("Enter a title.")},
    )
    description = forms.CharField(
        label=_("Describe the need or idea"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the need or idea.")},
    )

    field_order = [*SYSTEM_FIELDS_BEFORE, *NEED_FIELDS]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from programs.models import AdministrativeUnit, ProgramCategory, Settlement

        self.fields["administrative_unit"].queryset = AdministrativeUnit.objects.all()
        self.fields["settlement"].queryset = Settlement.objects.with_unit()
        self.fields["settlement"].widget.choices = grouped_settlement_choices()
        self.fields["category"].queryset = ProgramCategory.objects.all()

    def clean(self) -> dict:
        cleaned = super().clean()
        unit, settlement = cleaned.get("administrative_unit"), cleaned.get("settlement")
        if unit and settlement and settlement.unit_id != unit.pk:
            self.add_error(
                "settlement",
                ValidationError(
                    _("%(settlement)s is not in the administrative unit %(unit)s.")
                    % {"settlement": settlement, "unit": unit},
                    code="wrong_unit",
                ),
            )
        return cleaned


class APIDateMixin:
    """The API sends dates as YYYY-MM-DD strings instead of separate boxes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        messages = {
            "invalid": _("Enter a date as YYYY-MM-DD."),
            "required": _("This field is required."),
        }
        for name in ("birth_date", "used_on"):
            if name in self.fields:
                old = self.fields[name]
                self.fields[name] = forms.DateField(
                    label=old.label, input_formats=["%Y-%m-%d"], error_messages=messages
                )


def build_form_class(page, base: type[SystemQuestionsForm]) -> type[SystemQuestionsForm]:
    """The system questions followed by the editor's questions, consent and contacts last."""
    extra = MunicipalFormBuilder(page.get_form_fields()).formfields if page else {}
    ordered = [*base.field_order, *extra, *SYSTEM_FIELDS_AFTER]
    attributes = {**extra, "field_order": ordered, "extra_field_names": tuple(extra)}
    return type(f"{base.__name__}ForPage", (base,), attributes)


def form_class_for(page, api: bool = False) -> type[SystemQuestionsForm]:
    base = EvaluationForm if page.form_kind == "evaluation" else NeedForm
    if api:
        base = type(f"API{base.__name__}", (APIDateMixin, base), {})
    return build_form_class(page, base)
