"""Absolute URLs of the public site, from the configured PUBLIC_BASE_URL.

A headless front-end links to what the APIs return, so those links must name the public
address; the Site record's hostname (often "localhost") and the request's Host (an internal
name behind the proxy) do not.
"""

from django.conf import settings


def public_url(path: str) -> str:
    """`path` ("/en/programs/…") on the public site; a URL that is already absolute is kept."""
    if not path or "://" in path:
        return path
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{path.lstrip('/')}"
