"""One cell of a row, validated and normalised; errors never repeat the value."""

import re
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from cms.core import personal_numbers, phones

EARLIEST_SERVICE_DATE = date(2000, 1, 1)
DATE_TEXT_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")

# What is wrong with a cell, shown after its place: "Row 7, personal number: must be 11 digits".
MSG_MISSING = _("is missing")
MSG_DIGITS_ONLY = _("must contain digits only")
MSG_WRONG_LENGTH = _("must be 11 digits (this one has %(count)s)")
MSG_LEADING_ZERO = _(
    "must be 11 digits; this one has 10, probably because Excel dropped the leading zero. "
    "Format the column as Text and enter the numbers again."
)
MSG_SCIENTIFIC = _(
    "was saved by Excel as a number in scientific notation. Format the column as Text and "
    "enter the numbers again."
)
MSG_REPEATED_DIGITS = _("is not a real personal number (the same digit 11 times)")
MSG_NOT_A_DATE = _("is not a date; write it as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY")
MSG_FUTURE_DATE = _("is in the future")
MSG_TOO_EARLY = _("is before the year 2000")
MSG_BAD_EMAIL = _("is not an e-mail address like name@example.ge")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_personal_number(value: Any) -> str:
    """The 11 digits, or a ValidationError saying what is wrong without repeating the value.

    Excel turns numbers typed in a General column into numbers: 01001012345 becomes the int
    1001012345 (or a float, or scientific notation in CSV), losing the leading zero. Text goes
    through the same rule as the public forms (cms.core.personal_numbers): separators removed,
    digits of any script made ASCII, numbers of one repeated digit refused.
    """
    if is_blank(value):
        raise ValidationError(MSG_MISSING, code="missing")
    if isinstance(value, bool):
        raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
        digits = str(value)
    elif isinstance(value, str):
        text = value.strip().lstrip("'")  # Excel's "this is text" marker, if exported
        if re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", text):
            raise ValidationError(MSG_SCIENTIFIC, code="scientific")
        digits = personal_numbers.canonical_digits(text)
        if digits.endswith(".0") and digits[:-2].isascii() and digits[:-2].isdigit():
            digits = digits[:-2]  # a number written by a program as 1001012345.0
        if not (digits.isascii() and digits.isdigit()):
            raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    else:
        raise ValidationError(MSG_DIGITS_ONLY, code="digits")
    if len(digits) == 10:
        raise ValidationError(MSG_LEADING_ZERO, code="leading_zero")
    if len(digits) != personal_numbers.LENGTH:
        raise ValidationError(MSG_WRONG_LENGTH, code="length", params={"count": len(digits)})
    try:
        return personal_numbers.check_canonical(digits)
    except ValidationError as error:
        raise ValidationError(MSG_REPEATED_DIGITS, code=error.code) from error


def clean_service_date(value: Any, today: date) -> date:
    """A real Excel date, or text in YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY; 2000 to today."""
    if is_blank(value):
        raise ValidationError(MSG_MISSING, code="missing")
    if isinstance(value, datetime):
        served_on = value.date()
    elif isinstance(value, date):
        served_on = value
    elif isinstance(value, str):
        text = value.strip()
        for date_format in DATE_TEXT_FORMATS:
            try:
                served_on = datetime.strptime(text, date_format).date()
                break
            except ValueError:
                continue
        else:
            raise ValidationError(MSG_NOT_A_DATE, code="invalid")
    else:
        raise ValidationError(MSG_NOT_A_DATE, code="invalid")
    if served_on > today:
        raise ValidationError(MSG_FUTURE_DATE, code="future")
    if served_on < EARLIEST_SERVICE_DATE:
        raise ValidationError(MSG_TOO_EARLY, code="too_early")
    return served_on


def clean_phone(value: Any) -> str:
    """An optional Georgian mobile, normalised (cms.core.phones); Excel may give it as a number."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return phones.normalise_mobile(str(value))


def clean_email(value: Any) -> str:
    if is_blank(value):
        return ""
    text = str(value).strip()
    try:
        validate_email(text)
    except ValidationError as error:
        raise ValidationError(MSG_BAD_EMAIL, code="email") from error
    return text


def error_text(error: ValidationError) -> str:
    """The first message of a ValidationError, with its params applied."""
    return str(next(iter(error)))
