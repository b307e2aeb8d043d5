"""Which references this browser sent: only it sees their confirmation's details.

Kept in a signed cookie rather than in a new database session (issue 13): a resident's "Send"
no longer writes a session row (three statements and a write transaction of their own), and
nothing about the resident is kept on the server for it. The cookie holds only the references
(the resident's own, shown to them anyway), is signed so no other reference can be added to
it, lives as long as a session would (`SESSION_COOKIE_AGE`), is `HttpOnly`, `SameSite=Lax` and
`Secure` wherever the session cookie is.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from feedback_forms.references import normalise_reference

COOKIE_NAME = "sent_references"
SALT = "feedback_forms.sent_by_browser"
#: Enough for a family sharing a phone; the oldest drop out first.
REMEMBERED = 20
#: Between references: a character a cookie carries unquoted (a comma would be quoted).
SEPARATOR = "_"


def sent_references(request: HttpRequest) -> list[str]:
    """The references in the browser's cookie; [] for none, an expired or a forged one."""
    try:
        value = request.get_signed_cookie(
            COOKIE_NAME, salt=SALT, max_age=settings.SESSION_COOKIE_AGE
        )
    except (KeyError, signing.BadSignature):
        return []
    return [
        ref for ref in (value or "").split(SEPARATOR) if ref and normalise_reference(ref) == ref
    ]


def sent_by_this_browser(request: HttpRequest, reference: str) -> bool:
    return reference in sent_references(request)


def remember_sent(request: HttpRequest, response: HttpResponse, reference: str) -> None:
    """Add the reference to the browser's list (moved to the end when it is there already)."""
    earlier = [ref for ref in sent_references(request) if ref != reference]
    response.set_signed_cookie(
        COOKIE_NAME,
        SEPARATOR.join([*earlier, reference][-REMEMBERED:]),
        salt=SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
