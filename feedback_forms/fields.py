"""Form fields the municipality's forms need beyond Django's: a date of birth in three boxes
(GOV.UK pattern), a month and year, a 1-5 rating, and place and category choices."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.core.i18n import localized
from cms.core.request_memo import remembered, remembered_rows

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MONTH_NAMES = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]


class ThreeFieldDateWidget(forms.MultiWidget):
    """Day, month and year as three numeric boxes inside one fieldset."""

    template_name = "feedback_forms/widgets/three_field_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={**numeric, "maxlength": 2, "size": 2}),
            "month": forms.TextInput(attrs={**numeric, "maxlength": 2, "size": 2}),
            "year": forms.TextInput(attrs={**numeric, "maxlength": 4, "size": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[int | None]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class ThreeFieldDateField(forms.MultiValueField):
    """Turns day/month/year boxes into a date, with a message that says what is wrong."""

    widget = ThreeFieldDateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(required=False),) * 3
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day and month and year):
            raise ValidationError(
                _("Enter the day, the month and the year."), code="incomplete_date"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(
                _("Enter the date in numbers, for example 27 3 1985."), code="invalid_date"
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(_("This date does not exist."), code="invalid_date") from error


class MonthYearWidget(forms.MultiWidget):
    template_name = "feedback_forms/widgets/month_year.html"

    def __init__(self, years: Iterable[int] = (), attrs: dict[str, Any] | None = None) -> None:
        month_choices = [("", "—")] + [(n, name) for n, name in enumerate(MONTH_NAMES, start=1)]
        year_choices = [("", "—")] + [(year, str(year)) for year in years]
        super().__init__(
            {
                "month": forms.Select(choices=month_choices),
                "year": forms.Select(choices=year_choices),
            },
            attrs,
        )

    def decompress(self, value: Any) -> list[int | None]:
        if isinstance(value, datetime.date):
            return [value.month, value.year]
        return [None, None]


class MonthYearField(forms.MultiValueField):
    """When something happened, to the month: residents rarely remember the day."""

    def __init__(self, years_back: int = 5, **kwargs: Any) -> None:
        this_year = timezone.localdate().year
        years = range(this_year, this_year - years_back - 1, -1)
        fields = (forms.CharField(required=False),) * 2
        super().__init__(
            fields=fields, require_all_fields=False, widget=MonthYearWidget(years), **kwargs
        )

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        month, year = (str(part or "").strip() for part in data_list)
        if not (month.isdigit() and year.isdigit()):
            raise ValidationError(_("Choose the month and the year."), code="incomplete_date")
        try:
            return datetime.date(int(year), int(month), 1)
        except ValueError as error:
            raise ValidationError(
                _("Choose the month and the year."), code="invalid_date"
            ) from error


RATING_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – neither satisfied nor dissatisfied")),
    (2, _("2 – dissatisfied")),
    (1, _("1 – very dissatisfied")),
]


class RatingField(forms.TypedChoiceField):
    """A 1-5 satisfaction rating as radio buttons (no JavaScript stars)."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": _("Choose a rating from 1 to 5.")})
        super().__init__(choices=RATING_CHOICES, coerce=int, empty_value=None, **kwargs)


class LocalizedModelChoiceField(forms.ModelChoiceField):
    """A choice of reference data shown in the reader's language.

    A whole table's choice (no filter) is checked against its rows read once per request
    (`remembered_rows`), which the form's own list and the API schema read too: the same rows
    Django's `queryset.get()` would find, without a query per field."""

    def label_from_instance(self, obj: Model) -> str:
        return localized(obj, "name")

    def to_python(self, value: Any) -> Any:
        queryset = self.queryset
        if value in self.empty_values or queryset is None or queryset.query.where:
            return super().to_python(value)
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        if isinstance(value, queryset.model):
            value = getattr(value, key)
        field = queryset.model._meta.pk if key == "pk" else queryset.model._meta.get_field(key)
        try:
            wanted = field.to_python(value)
        except ValidationError:
            wanted = None
        for row in remembered_rows(queryset):
            if wanted is not None and getattr(row, key) == wanted:
                return row
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


def grouped_settlement_choices() -> list:
    """Settlements grouped by administrative unit (optgroups): a place choice with no map.
    Drawn once per request and language (a need's form is built blank and bound)."""
    from programs.models import AdministrativeUnit, Settlement
    from programs.querysets import settlements_with_units

    def draw() -> list:
        groups: dict[str, list] = {}
        for settlement in settlements_with_units():
            unit_name = localized(settlement.unit, "name")
            groups.setdefault(unit_name, []).append((settlement.pk, localized(settlement, "name")))
        return [("", "—"), *groups.items()]

    key = ("grouped settlement choices", get_language())
    return list(remembered(key, draw, (Settlement, AdministrativeUnit)))


class GroupedSettlementField(LocalizedModelChoiceField):
    """An editor's "place" question: the settlements grouped by administrative unit.

    A form copies its fields when it is built, and a model choice field's copy sets its widget's
    choices back to the flat queryset; every copy gets the groups back, drawn when the
    question is shown, in the language of the request that shows it.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> "GroupedSettlementField":
        result = super().__deepcopy__(memo)
        result.widget.choices = grouped_settlement_choices  # drawn when shown (lazy)
        return result


#: The settlement choice of a resident whose village is not in the list.
OTHER_PLACE = "other"


class SettlementChoiceField(LocalizedModelChoiceField):
    """The settlements by unit, and "another place in this administrative unit" (`OTHER_PLACE`)
    for a village the reference data does not have yet: the resident names it."""

    def to_python(self, value: Any) -> Any:
        if value == OTHER_PLACE:
            return OTHER_PLACE
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        if value != OTHER_PLACE:
            super().validate(value)

    def label_from_instance(self, obj: Any) -> str:
        if obj == OTHER_PLACE:
            return str(other_place_label())
        return super().label_from_instance(obj)

    def prepare_value(self, value: Any) -> Any:
        return OTHER_PLACE if value == OTHER_PLACE else super().prepare_value(value)


def other_place_label() -> "StrOrPromise":
    return _("Another place in this administrative unit (not in the list)")


def settlement_choices_with_other() -> list:
    return [*grouped_settlement_choices(), (OTHER_PLACE, other_place_label())]
