"""The system questions the rule requires, shared by the web journey, staff entry and the API.

One form class per kind holds every validation: the web form and the JSON API differ only in
how a date arrives (three boxes or "YYYY-MM-DD"), so both go through the same clean methods.
The editor's questions are appended by the form builder (`feedback_forms.form_classes`).

Validation depends only on the answers themselves, never on who the personal number belongs
to: the beneficiary list and earlier evaluations are consulted by `feedback_forms.intake`
when a consented submission is stored (README, "No oracle").
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cms.core.municipality import current_names
from cms.core.personal_numbers import PersonalNumberDigest, digest_personal_number
from cms.core.phones import normalise_mobile
from feedback_forms.eligibility import (
    OLDEST_PLAUSIBLE_BIRTH_YEAR,
    is_adult_on,
    today_in_tbilisi,
)
from feedback_forms.fields import (
    OTHER_PLACE,
    LocalizedModelChoiceField,
    MonthYearField,
    RatingField,
    SettlementChoiceField,
    ThreeFieldDateField,
    settlement_choices_with_other,
)
from feedback_forms.periods import period_for_date

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage
    from programs.models import Invitation

#: How far back an evaluated use may lie: the web form offers this year and the five before.
USED_ON_YEARS_BACK = 5

SYSTEM_FIELDS_BEFORE = ("citizen", "birth_date", "personal_number")
EVALUATION_FIELDS = ("used_program", "used_on", "overall_rating")
NEED_FIELDS = (
    "registered_resident",
    "administrative_unit",
    "settlement",
    "other_place",
    "category",
    "title",
    "description",
)
SYSTEM_FIELDS_AFTER = ("photo", "photo_token", "contact_email", "contact_phone", "consent")
INVITATION_FIELD = "invitation_code"
MSG_INVITATION_NOT_USABLE = _(
    "This invitation code is not valid: it was already used, it has expired, or it is for "
    "another program. You can still evaluate the program with your personal number: open the "
    "form from the program's page."
)


class JourneyBoundField(forms.BoundField):
    """Django points a field at its error message (``aria-describedby``, ``aria-invalid``)
    whenever the field has errors; the journey hides them on "Change" (`errors_shown` off), and
    a reference to a message that is not on the page is announced as nothing at all."""

    def build_widget_attrs(self, attrs: dict, widget: forms.Widget | None = None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        if getattr(self.form, "errors_shown", True):
            return attrs
        attrs.pop("aria-invalid", None)
        described = [
            ref
            for ref in str(attrs.pop("aria-describedby", "")).split()
            if ref != f"{self.auto_id}_error"
        ]
        if described:
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class SystemQuestionsForm(forms.Form):
    """Questions every submission answers; editors cannot remove them."""

    bound_field_class = JourneyBoundField
    #: Whether the page shows the errors (set by the journey's views): see JourneyBoundField.
    errors_shown = True

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
        label=_("Mobile phone"),
        required=False,
        max_length=30,
        help_text=_("If you want the receipt and the answer by SMS, for example 599 12 34 56."),
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
        self,
        *args: Any,
        page: "FeedbackFormPage | None" = None,
        submitted_on: datetime.date | None = None,
        **kwargs: Any,
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
        """A Georgian mobile, stored as +995…: the SMS receipt and answer go to it."""
        phone = self.cleaned_data["contact_phone"].strip()
        return normalise_mobile(phone) if phone else ""

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The invitation whose code replaces the personal number (programs.invitations).
        self.invitation: Invitation | None = None
        code = (
            self.data.get(INVITATION_FIELD) if self.is_bound else self.initial.get(INVITATION_FIELD)
        )
        if code:
            order = list(self.fields)
            position = order.index("personal_number")
            del self.fields["personal_number"]
            self.fields[INVITATION_FIELD] = forms.CharField(
                label=_("Your invitation code"),
                help_text=_(
                    "From the invitation City Hall sent you. With it you do not need to enter "
                    "your personal number; it works once."
                ),
                max_length=40,
                initial=code,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
                error_messages={"required": _("Enter your invitation code.")},
            )
            order[position] = INVITATION_FIELD
            self.order_fields(order)

    def clean_invitation_code(self) -> str:
        """The code proves the beneficiary list membership: the person is the invited one.
        Age, citizenship and the use of the program are still the resident's own answers."""
        from programs.invitations import normalise_code, usable

        code = normalise_code(self.cleaned_data[INVITATION_FIELD])
        program = self.page.get_parent().specific if self.page is not None else None
        invitation = usable(code, getattr(program, "canonical_program", None))
        if invitation is None:
            raise ValidationError(MSG_INVITATION_NOT_USABLE, code="invitation")
        self.invitation = invitation
        self.person = PersonalNumberDigest(invitation.person_digest, invitation.key_version)
        return code

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


def names_once(memo: dict[str, dict[str, str]]) -> dict[str, str]:
    """The municipality's names in the active language, read once per form and language."""
    language = get_language() or ""
    if language not in memo:
        memo[language] = current_names()
    return memo[language]


class NeedForm(SystemQuestionsForm):
    #: Label and message name the municipality (cms.core.municipality): set in __init__.
    registered_resident = forms.BooleanField()
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
    settlement = SettlementChoiceField(
        label=_("Town or village"),
        queryset=None,
        help_text=_(
            "Not in the list? Choose “Another place in this administrative unit” and name it below."
        ),
        error_messages={
            "required": _("Choose the town or village."),
            "invalid_choice": _("Choose a town or village from the list."),
        },
    )
    other_place = forms.CharField(
        label=_("Name of the town or village, if it is not in the list"),
        required=False,
        max_length=100,
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from programs.models import AdministrativeUnit, ProgramCategory, Settlement

        choice = cast(dict[str, forms.ModelChoiceField], self.fields)  # declared as such above
        choice["administrative_unit"].queryset = AdministrativeUnit.objects.all()
        choice["settlement"].queryset = Settlement.objects.with_unit()
        # Lazy (Django wraps a callable): drawn when the list is shown, never for a "Send"
        # that is stored and redirected.
        self.fields["settlement"].widget.choices = settlement_choices_with_other
        choice["category"].queryset = ProgramCategory.objects.all()
        # Lazy: the name is read (two queries) only when a text is shown, once per language,
        # so a submission that is stored without showing the form again costs nothing more.
        memo: dict[str, dict[str, str]] = {}

        def label() -> str:
            return _("I am registered in %(municipality_in)s") % names_once(memo)

        def required() -> str:
            return _(
                "Needs can be recorded by people registered in %(municipality_in)s. Tick the box "
                "to confirm you are."
            ) % names_once(memo)

        resident = self.fields["registered_resident"]
        resident.label = lazy(label, str)()
        resident.error_messages["required"] = lazy(required, str)()

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data  # Form.clean returns cleaned_data
        unit, settlement = cleaned.get("administrative_unit"), cleaned.get("settlement")
        other_place = " ".join(cleaned.get("other_place", "").split())
        if settlement == OTHER_PLACE and "other_place" not in self.fields:
            self.add_error(
                "settlement",
                ValidationError(
                    self.fields["settlement"].error_messages["invalid_choice"],
                    code="invalid_choice",
                ),
            )
        elif settlement == OTHER_PLACE:
            if not other_place:
                self.add_error(
                    "other_place",
                    ValidationError(
                        _("Enter the name of your town or village."), code="other_place_required"
                    ),
                )
            cleaned["other_place"] = other_place
        elif settlement is not None:
            cleaned["other_place"] = ""  # a listed settlement was chosen: the box is ignored
        if unit and settlement and settlement != OTHER_PLACE and settlement.unit_id != unit.pk:
            self.add_error(
                "settlement",
                ValidationError(
                    _("%(settlement)s is not in the administrative unit %(unit)s.")
                    % {"settlement": settlement, "unit": unit},
                    code="wrong_unit",
                ),
            )
        return cleaned
