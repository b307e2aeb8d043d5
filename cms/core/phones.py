"""Georgian mobile numbers (+995 5XX XXX XXX): the one home of the rule, for the forms, the API,
the beneficiary import and the SMS channel.

A number is parsed with `phonenumbers` as a Georgian number and must be a valid mobile (only a
mobile can receive an SMS); it is stored normalised to E.164 (+995599123456), so one phone
written as "599 12 34 56", "0599-123-456" or "+995 599 123456" is one number.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "GE"
COUNTRY_CODE = 995
MAX_INPUT_LENGTH = 30
#: What the web form accepts before parsing: digits, one leading +, spaces, dashes, brackets.
INPUT_PATTERN = re.compile(r"^\+?[0-9 ()\-]{6,25}$")
MSG_INVALID = _("Enter a Georgian mobile number, for example 599 12 34 56 or +995 599 12 34 56.")


def mobile_national_pattern() -> str:
    """phonenumbers' own pattern of Georgian mobiles' 9 national digits, ASCII digits only."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(REGION)
    pattern = metadata.mobile.national_number_pattern if metadata and metadata.mobile else None
    if not pattern:
        raise LookupError("phonenumbers has no pattern for Georgian mobiles")
    return pattern.replace(r"\d", "[0-9]")


def json_pattern() -> str:
    """The exact API contract: empty, or the 9 national digits with an optional +995."""
    return r"^(?:(?:\+995)?(?:" + mobile_national_pattern() + r"))?$"


def normalise_mobile(value: str) -> str:
    """E.164 of a Georgian mobile, or a translated ValidationError that never echoes the value."""
    text = (value or "").strip()
    if len(text) > MAX_INPUT_LENGTH or not INPUT_PATTERN.fullmatch(text):
        raise ValidationError(MSG_INVALID, code="phone")
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(MSG_INVALID, code="phone") from error
    if (
        number.country_code != COUNTRY_CODE
        or not phonenumbers.is_valid_number_for_region(number, REGION)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise ValidationError(MSG_INVALID, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(value: str) -> bool:
    try:
        normalise_mobile(value)
    except ValidationError:
        return False
    return True


def display(e164: str) -> str:
    """+995 599 12 34 56, as people write it."""
    try:
        number = phonenumbers.parse(e164, REGION)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
