"""Public reference codes: unguessable, yet short enough to read over the phone.

Eight characters of Crockford's base32 (no I, L, O, U) carry 40 random bits: about 10^12 codes,
so guessing someone's reference is hopeless, and the characters that look alike are folded
when a resident types one back.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
CODE_LENGTH = 8


def new_reference() -> str:
    """A fresh code such as 'K7QM-4XPA' (the dash is only for reading)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_reference(value: str) -> str | None:
    """Turn what a resident typed ('k7qm 4xpa', 'K7QM4XPA') into the stored form, or None."""
    cleaned = re.sub(r"[\s\-_.]", "", str(value or "")).upper().translate(LOOKALIKES)
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:]}"
