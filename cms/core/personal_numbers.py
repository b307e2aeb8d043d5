"""Personal numbers (პირადი ნომერი) are never stored in clear, only as a keyed, versioned HMAC.

A plain SHA-256 of an 11-digit number is no protection (10^11 candidates hash in minutes), so
the digest is keyed with PERSONAL_NUMBER_KEY, a secret kept apart from SECRET_KEY. The key
version is stored beside each digest so the key can be rotated and old digests recognised.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

PERSONAL_NUMBER_PATTERN = re.compile(r"^\d{11}$")
DIGEST_LENGTH = 64


@dataclass(frozen=True)
class PersonalNumberDigest:
    digest: str
    key_version: int


def normalise_personal_number(value: str) -> str:
    """Strip the spaces and dashes people type; reject anything but exactly 11 digits."""
    cleaned = re.sub(r"[\s-]", "", str(value or ""))
    if not PERSONAL_NUMBER_PATTERN.fullmatch(cleaned):
        raise ValidationError(
            _("The personal number must be exactly 11 digits."), code="personal_number"
        )
    return cleaned


def digest_personal_number(value: str) -> PersonalNumberDigest:
    """Validate and hash a personal number with the current key."""
    key = settings.PERSONAL_NUMBER_KEY
    if not key:
        raise ImproperlyConfigured("PERSONAL_NUMBER_KEY is not set.")
    number = normalise_personal_number(value)
    digest = hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()
    return PersonalNumberDigest(digest, settings.PERSONAL_NUMBER_KEY_VERSION)
