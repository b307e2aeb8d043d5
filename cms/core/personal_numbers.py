"""Personal numbers (პირადი ნომერი) are never stored in clear, only as a keyed, versioned HMAC.

A plain SHA-256 of an 11-digit number is no protection (10^11 candidates hash in minutes), so
the digest is keyed with PERSONAL_NUMBER_KEY, a secret kept apart from SECRET_KEY. The key
version is stored beside each digest so the key can be rotated and old digests recognised.

This module is the one home of the rule "what is a personal number": the public forms, the
API, staff entry and the beneficiary-list import all call it, so one person always gets one
digest. A number is canonical before it is hashed: exactly 11 ASCII digits. People type
spaces and dashes, and phones with another keyboard may send the same digits in another
script (Arabic-Indic ٠١٢, Devanagari ०१२, full-width ０１２...); those are turned into ASCII
digits, so "٠١٠٠١٠١٢٣٤٥" and "01001012345" are one person, never two. Anything else is refused,
as are numbers no one can have (all one digit, such as 00000000000).
"""

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

LENGTH = 11
CANONICAL_PATTERN = re.compile(r"[0-9]{11}")
#: What the JSON schema publishes for the API (ECMA-262 and Python read it alike).
CANONICAL_JSON_PATTERN = "^[0-9]{11}$"
#: Numbers of one repeated digit: no one has them, people type them to get past the form.
REPEATED_DIGITS = tuple(str(digit) * LENGTH for digit in range(10))
DIGEST_LENGTH = 64
#: Spaces (any Unicode space) and the dashes people put between groups of digits.
SEPARATORS = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014\u2212]")

MSG_FORMAT = _("The personal number must be exactly 11 digits.")
MSG_REPEATED = _("This is not a real personal number. Enter the 11 digits on your ID card.")


@dataclass(frozen=True)
class PersonalNumberDigest:
    digest: str
    key_version: int


def ascii_digits(text: str) -> str:
    """Replace every Unicode decimal digit (category Nd, what Python's ``\\d`` matches) by its
    ASCII digit; other characters are left for the caller to refuse."""
    return "".join(
        str(unicodedata.decimal(char))
        if not char.isascii() and unicodedata.category(char) == "Nd"
        else char
        for char in text
    )


def canonical_digits(value: object) -> str:
    """The number as typed, without separators and in ASCII digits; not yet validated."""
    return ascii_digits(SEPARATORS.sub("", str(value or "")))


def check_canonical(digits: str) -> str:
    """Refuse anything but 11 ASCII digits that someone can have; return the digits.

    Codes: ``digits`` (a character that is not a digit), ``length`` (not 11 digits),
    ``repeated`` (all one digit).
    """
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(MSG_FORMAT, code="digits")
    if len(digits) != LENGTH:
        raise ValidationError(MSG_FORMAT, code="length", params={"count": len(digits)})
    if digits in REPEATED_DIGITS:
        raise ValidationError(MSG_REPEATED, code="repeated")
    return digits


def normalise_personal_number(value: object) -> str:
    """Strip what people type around the digits, turn digits of any script into ASCII, and
    refuse anything but a plausible 11-digit number."""
    return check_canonical(canonical_digits(value))


def digest_canonical(number: str) -> PersonalNumberDigest:
    """Hash a number that is already canonical (see `normalise_personal_number`)."""
    key = settings.PERSONAL_NUMBER_KEY
    if not key:
        raise ImproperlyConfigured("PERSONAL_NUMBER_KEY is not set.")
    check_canonical(number)
    digest = hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()
    return PersonalNumberDigest(digest, settings.PERSONAL_NUMBER_KEY_VERSION)


def digest_personal_number(value: object) -> PersonalNumberDigest:
    """Validate and hash a personal number with the current key."""
    return digest_canonical(normalise_personal_number(value))


# --- The key ---------------------------------------------------------------------------------

MIN_KEY_LENGTH = 32


def key_problem(key: str, secret_key: str) -> str | None:
    """Why a PERSONAL_NUMBER_KEY must not be used in production, or None when it may.

    A short key can be guessed, and then every digest can be reversed by trying the 10^11
    numbers; a key equal to SECRET_KEY leaks with it (and SECRET_KEY also signs cookies).
    """
    if len(key) < MIN_KEY_LENGTH:
        return (
            f"PERSONAL_NUMBER_KEY must be at least {MIN_KEY_LENGTH} characters long "
            f"(it has {len(key)}). Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    if hmac.compare_digest(key.encode(), secret_key.encode()):
        return "PERSONAL_NUMBER_KEY must not be the same as SECRET_KEY."
    return None
