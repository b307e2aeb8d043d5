"""Who is asking, as the rate limits count it: the client's address and keyed hashes of keys.

Shared by the residents' forms (`feedback_forms.protection`) and the staff's sign-in and
password-reset limits (`cms.core.throttling`), so both trust the same proxies and neither keeps
an address in clear.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

_KEY_HASH_SALT = "feedback_forms.rate-limit-key"


def hash_key(key: str) -> str:
    """Return the stored form of a raw key: 64 hex characters, keyed with SECRET_KEY.

    A plain SHA-256 of an IPv4 address is reversible by trying all 2**32 of them; keying it
    keeps the counter table (or Redis) from being a log of who submitted. Rotating
    SECRET_KEY merely resets the counters.
    """
    return salted_hmac(_KEY_HASH_SALT, key, algorithm="sha256").hexdigest()


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
    return str(address)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, or "unknown".

    ``X-Forwarded-For`` is read only when ``FEEDBACK_TRUSTED_PROXY_COUNT`` > 0, and then only
    the entry appended by the outermost trusted proxy (that many hops from the right): the
    entries to its left are whatever the client chose to send.
    """
    trusted = int(getattr(settings, "FEEDBACK_TRUSTED_PROXY_COUNT", 0))
    if trusted <= 0:
        return _valid_ip(request.META.get("REMOTE_ADDR")) or "unknown"
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < trusted:
        return "unknown"
    return _valid_ip(hops[-trusted]) or "unknown"
