"""The submission API's request bodies, stated exactly: what the schema allows, the server
accepts, and what it forbids, the server refuses (issue 10, finding 10).

One `Rule` per answer holds both halves of that promise: the JSON Schema the OpenAPI document
publishes, and `check`, which the API applies to the raw JSON value before the web form sees it.
The check refuses exactly what the schema forbids and the form would let through (spaces
around a personal number, "1985-3-7" for a date, text longer than allowed before trimming);
everything else the form refuses (too young, a settlement outside its unit, a missing answer)
is also written into the schema (date ranges, the settlements of each unit, required answers),
so a request that fits the schema is stored.

The schema is built per live form when /api/v1/openapi.json is requested: the program ids, the
editor's questions, the units and settlements are the database's. It describes the forms as
asked in Georgian, the default language; with ``Accept-Language: en`` choice questions take the
English choices that GET .../evaluation-form lists.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.core import phones
from cms.core.personal_numbers import CANONICAL_JSON_PATTERN, REPEATED_DIGITS, check_canonical
from feedback_forms.eligibility import ADULT_AGE, OLDEST_PLAUSIBLE_BIRTH_YEAR, today_in_tbilisi
from feedback_forms.forms import SystemQuestionsForm, earliest_use

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage

JsonSchema = dict[str, Any]

#: Characters Python's str.strip() removes: a required text must have one that is not these.
WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
#: Regular expressions below are read alike by Python's `re` and ECMA-262 (JSON Schema):
#: explicit classes and \\u escapes only, no \\d, \\s or ".".
NO_NUL = r"[^\u0000]"
WHITESPACE_CLASS = "".join(f"\\u{ord(char):04x}" for char in WHITESPACE)
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: A subset of what Django's EmailValidator accepts: no quoted names, no IDN, no IP literal.
EMAIL_PATTERN = r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:" + LABEL + r"\.)+[A-Za-z]{2,63}$"
#: The phone pattern of the web form, without spaces at either end (the form trims them).

URL_PATTERN = r"^https?://(?:" + LABEL + r"\.)+[A-Za-z]{2,63}(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?$"
URL_MAX_LENGTH = 2000
ANY_DATE_PATTERN = r"^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
DATETIME_PATTERN = (
    r"^[1-9][0-9]{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$"
)


def text_pattern(required: bool) -> str:
    """No NUL character (the form refuses it); when required, something besides spaces."""
    if required:
        return f"^{NO_NUL}*[^{WHITESPACE_CLASS}\\u0000]{NO_NUL}*$"
    return f"^{NO_NUL}*$"


# --- Date ranges as regular expressions ------------------------------------------------------


def day_range(first: int, last: int) -> str:
    """Two-digit days first..last, e.g. 05..28 -> (?:0[5-9]|1[0-9]|2[0-8])."""
    parts = []
    for tens in range(first // 10, last // 10 + 1):
        low, high = max(first, tens * 10), min(last, tens * 10 + 9)
        parts.append(f"{tens}[{low % 10}-{high % 10}]")
    return "(?:" + "|".join(parts) + ")"


def month_days(year: int, first: datetime.date, last: datetime.date) -> str:
    """The MM-DD of one year that fall between first and last (both in that year)."""
    parts = []
    for month in range(first.month, last.month + 1):
        start = first.day if month == first.month else 1
        end = last.day if month == last.month else calendar.monthrange(year, month)[1]
        parts.append(f"{month:02d}-{day_range(start, end)}")
    return "(?:" + "|".join(parts) + ")"


@functools.lru_cache(maxsize=32)
def date_range_pattern(first: datetime.date, last: datetime.date) -> str:
    """A pattern matching exactly the real dates first..last written YYYY-MM-DD.

    Years with the same months and days share one alternative (common years, leap years,
    the two partial years at the ends), so the pattern stays short. Kept per pair of dates:
    a birth-date range spans a century, and building it was a quarter of an API submission's
    CPU (bench/README.md); the dates change once a day."""
    by_days: dict[str, list[int]] = {}
    for year in range(first.year, last.year + 1):
        start = first if year == first.year else datetime.date(year, 1, 1)
        end = last if year == last.year else datetime.date(year, 12, 31)
        by_days.setdefault(month_days(year, start, end), []).append(year)
    alternatives = [
        f"(?:{'|'.join(str(year) for year in years)})-{days}" for days, years in by_days.items()
    ]
    return "^(?:" + "|".join(alternatives) + ")$"


def latest_adult_birth_date(today: datetime.date) -> datetime.date:
    """The last birth date of someone who is 18 today (feedback_forms.eligibility.age_on)."""
    year = today.year - ADULT_AGE
    day = min(today.day, calendar.monthrange(year, today.month)[1])
    return datetime.date(year, today.month, day)


# --- Rules -------------------------------------------------------------------------------------


Check = Callable[[Any], "str | None"]


@dataclass
class Rule:
    """One answer: its JSON Schema and the server's check of a raw JSON value (not null)."""

    schema: JsonSchema
    check: Check = field(default=lambda value: None)
    required: bool = False
    nullable: bool = True

    def published(self) -> JsonSchema:
        if self.nullable and not self.required:
            return {"anyOf": [self.schema, {"type": "null"}]}
        return self.schema


def matches(pattern: str, message: Callable[[], str]) -> Check:
    compiled = re.compile(pattern)

    def check(value: Any) -> str | None:
        if isinstance(value, str) and compiled.fullmatch(value):
            return None
        return message()

    return check


def text_rule(form_field: forms.Field, *, schema_extra: JsonSchema | None = None) -> Rule:
    max_length = getattr(form_field, "max_length", None)
    schema: JsonSchema = {"type": "string", "pattern": text_pattern(form_field.required)}
    if max_length:
        schema["maxLength"] = max_length

    def check(value: Any) -> str | None:
        if isinstance(value, str) and max_length and len(value) > max_length:
            return _("Ensure this value has at most %(max)s characters (it has %(count)s).") % {
                "max": max_length,
                "count": len(value),
            }
        return None  # the rest (NUL, blank) the form refuses itself, as the schema says

    return Rule({**schema, **(schema_extra or {})}, check, required=form_field.required)


def boolean_rule(form_field: forms.Field) -> Rule:
    if form_field.required:
        return Rule({"const": True}, required=True)
    return Rule({"type": "boolean"})


def strict_date() -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return _("This date does not exist.")
            return None  # a real date: its range is the form's to refuse, as the schema says
        return _("Enter a date as YYYY-MM-DD.")

    return check


def date_rule(pattern: str, required: bool, description: str = "") -> Rule:
    schema: JsonSchema = {"type": "string", "format": "date", "pattern": pattern}
    if description:
        schema["description"] = description
    return Rule(schema, strict_date(), required=required)


def choice_values(form_field: forms.Field) -> list[Any]:
    """What a choice question accepts as JSON, as the form schema lists it."""
    from feedback_forms.api_support import choices_for

    return [choice["value"] for choice in choices_for(form_field) or []]


def editor_rule(form_field: forms.Field) -> Rule:
    """A rule for an editor's question, by the form field the builder made."""
    from feedback_forms.api_support import question_type

    kind = question_type(form_field)
    required = form_field.required
    if kind == "boolean":
        return boolean_rule(form_field)
    if kind == "rating":
        return Rule({"type": "integer", "minimum": 1, "maximum": 5}, required=required)
    if kind == "number":
        return Rule({"type": "number"}, required=required)
    if kind in ("choice", "multichoice"):
        values = choice_values(form_field)
        integers = all(isinstance(value, int) for value in values) and bool(values)
        item: JsonSchema = {"type": "integer" if integers else "string", "enum": values}
        if kind == "multichoice":
            schema: JsonSchema = {"type": "array", "items": item}
            if required:
                schema["minItems"] = 1
            return Rule(schema, required=required)
        if not required and not integers:
            item = {**item, "enum": [*values, ""]}
        return Rule(item, required=required)
    if kind == "date":
        return date_rule(ANY_DATE_PATTERN, required)
    if kind == "datetime":
        return Rule(
            {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN},
            strict_datetime,
            required=required,
        )
    if kind == "email":
        return email_rule(required, cast(forms.CharField, form_field).max_length or 254)
    if kind == "url":
        return Rule(
            {"type": "string", "maxLength": URL_MAX_LENGTH, "pattern": URL_PATTERN},
            matches(URL_PATTERN, lambda: _("Enter a web address that starts with https://.")),
            required=required,
        )
    return text_rule(form_field)


def strict_datetime(value: Any) -> str | None:
    if isinstance(value, str) and re.fullmatch(DATETIME_PATTERN, value):
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return _("This date does not exist.")
        return None
    return _("Enter a date and time as YYYY-MM-DDThh:mm:ss+04:00.")


def email_rule(required: bool, max_length: int = 254) -> Rule:
    pattern = EMAIL_PATTERN if required else f"^(?:{EMAIL_PATTERN[1:-1]})?$"
    return Rule(
        {"type": "string", "maxLength": max_length, "pattern": pattern},
        matches(pattern, lambda: _("Enter an e-mail address like name@example.ge.")),
        required=required,
    )


def personal_number_check(value: Any) -> str | None:
    try:
        check_canonical(value if isinstance(value, str) else "")
    except ValidationError as error:
        return error.messages[0]
    return None


@dataclass
class BodyRules:
    """The rules of one form's submission body: top-level answers and the editor's."""

    top: dict[str, Rule]
    answers: dict[str, Rule]
    #: Alternatives the whole body must match one of (e.g. unit and its settlements).
    variants: list[JsonSchema] = field(default_factory=list)


def system_rules(form: forms.Form, privacy_url: str) -> dict[str, Rule]:
    """The system questions of a form (built by `form_class_for(page, api=True)`)."""
    today = today_in_tbilisi()
    consent = (
        "Must be true: consent to the processing of the answers as the privacy notice "
        "describes" + (f": {privacy_url}" if privacy_url else ".")
    )
    rules: dict[str, Rule] = {
        "citizen": Rule({"const": True}, required=True),
        "birth_date": date_rule(
            date_range_pattern(
                datetime.date(OLDEST_PLAUSIBLE_BIRTH_YEAR, 1, 1), latest_adult_birth_date(today)
            ),
            required=True,
            description="YYYY-MM-DD; 18 or older today (Tbilisi time), born 1900 or later.",
        ),
        "personal_number": Rule(
            {
                "type": "string",
                "pattern": CANONICAL_JSON_PATTERN,
                "not": {"enum": list(REPEATED_DIGITS)},
                "description": "Exactly 11 ASCII digits, as on the ID card (no spaces); not one "
                "digit repeated. Only a keyed hash is stored.",
            },
            personal_number_check,
            required=True,
        ),
        "consent": Rule({"const": True, "description": consent}, required=True),
        "contact_email": email_rule(required=False),
        "contact_phone": Rule(
            {
                "type": "string",
                "pattern": phones.json_pattern(),
                "description": "A Georgian mobile: 9 digits, optionally after +995, no spaces.",
            },
            matches(phones.json_pattern(), lambda: str(phones.MSG_INVALID)),
        ),
    }
    fields = form.fields
    if "used_program" in fields:
        rules["used_program"] = Rule({"const": True}, required=True)
        rules["used_on"] = date_rule(
            date_range_pattern(earliest_use(today), today),
            required=True,
            description="When the program was used, YYYY-MM-DD: this year or the five before, "
            "not in the future.",
        )
        rules["overall_rating"] = Rule(
            {"type": "integer", "minimum": 1, "maximum": 5}, required=True
        )
    if "registered_resident" in fields:
        rules["registered_resident"] = Rule({"const": True}, required=True)
        rules["category"] = Rule(
            {"type": "string", "enum": choice_values(fields["category"])}, required=True
        )
        rules["title"] = text_rule(fields["title"])
        rules["description"] = text_rule(fields["description"])
        # administrative_unit and settlement are stated together, in the variants.
        rules["administrative_unit"] = Rule({"type": "string"}, required=True)
        rules["settlement"] = Rule({"type": "integer"}, required=True)
    return rules


def unit_variants() -> list[JsonSchema]:
    """Each administrative unit with its own settlements: a need names one of each."""
    from programs.querysets import settlements_with_units

    settlements: dict[str, list[int]] = {}
    ordered = sorted(settlements_with_units(), key=lambda place: (place.unit.code, place.pk))
    for settlement in ordered:
        settlements.setdefault(settlement.unit.code, []).append(settlement.pk)
    return [
        {
            "properties": {
                "administrative_unit": {"const": code},
                "settlement": {"enum": ids},
            }
        }
        for code, ids in settlements.items()
    ]


def body_rules(
    page: FeedbackFormPage, privacy_url: str = "", form: SystemQuestionsForm | None = None
) -> BodyRules:
    """``form``: an unbound API form of this page the caller already has (one less to build)."""
    from feedback_forms.form_classes import form_class_for

    if form is None:
        form = form_class_for(page, api=True)(page=page)
    form_class = type(form)
    answers = {name: editor_rule(form.fields[name]) for name in form_class.extra_field_names}
    rules = BodyRules(top=system_rules(form, privacy_url), answers=answers)
    if "registered_resident" in form.fields:
        rules.variants = unit_variants()
    rules.top["website"] = Rule(
        {"type": ["string", "null"], "maxLength": 0, "description": "Leave out or empty."}
    )
    return rules


def object_schema(rules: Mapping[str, Rule], **extra: Any) -> JsonSchema:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, rule in rules.items() if rule.required],
        "properties": {name: rule.published() for name, rule in rules.items()},
        **extra,
    }


def body_schema(rules: BodyRules, program: JsonSchema | None, program_required: bool) -> JsonSchema:
    """One form's body; `program` is the schema of the program ids that reach this form."""
    answers = object_schema(rules.answers)
    properties = {name: rule.published() for name, rule in rules.top.items()}
    required = [name for name, rule in rules.top.items() if rule.required]
    if any(rule.required for rule in rules.answers.values()):
        required.append("answers")
        properties["answers"] = answers
    else:  # null, like a missing object, means no answers
        properties["answers"] = {"anyOf": [answers, {"type": "null"}]}
    if program is not None:
        properties["program"] = program
        if program_required:
            required.append("program")
    schema: JsonSchema = {
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }
    if rules.variants:
        schema["anyOf"] = rules.variants
    return schema


def raw_errors(
    payload: Mapping[str, Any], rules: BodyRules, answer_key: Callable[[str], str]
) -> dict[str, list[str]]:
    """The server's half: messages for raw values the schema forbids and the form would take."""
    errors: dict[str, list[str]] = {}
    answers = payload.get("answers")
    sources: Iterable[tuple[str, Any, Rule]] = [
        *((name, payload.get(name), rule) for name, rule in rules.top.items()),
        *(
            (answer_key(name), answers.get(name), rule)
            for name, rule in rules.answers.items()
            if isinstance(answers, dict)
        ),
    ]
    for key, value, rule in sources:
        if value is None:
            continue
        problem = rule.check(value)
        if problem:
            errors[key] = [problem]
    return errors
