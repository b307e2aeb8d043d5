"""Where a redirect may go: only this site, never another one a link or a header names."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def same_site_url(request: HttpRequest, *candidates: str | None) -> str:
    """The first candidate that points at this host (and scheme, over HTTPS), or "".

    Each candidate comes from the client (a `next` field, a `Referer` header), so following it
    unchecked is an open redirect: a link to one of our URLs could send staff to another site.
    """
    for candidate in candidates:
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return ""
