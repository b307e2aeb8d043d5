"""Server error answers that tell the truth about what was sent.

Django calls `handler500` while it is handling the exception, so the error is still at hand: a
database that cannot be reached is a temporary outage (503 with ``Retry-After``), anything else
a 500. A resident who pressed "Send" learns plainly that it may not have arrived and that
sending again is safe (every form and API request carries an idempotency key, so a resend is
never stored twice). API clients get JSON in the API's own refusal shape. Nothing here touches
the database, the session or the cache: they may be what failed.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cms.core.i18n import request_language

RETRY_AFTER_SECONDS = 60
STORED_ATTRIBUTE = "stored_submission_reference"
API_PATH_PREFIX = "/api/"
UNREACHABLE = (OperationalError, InterfaceError)


def database_unreachable(exc: BaseException | None) -> bool:
    """The connection failed (server down, refused, file unreadable), not a bug of ours."""
    return isinstance(exc, UNREACHABLE)


def note_stored(request: HttpRequest, reference: str) -> None:
    """Remember on the request that its submission is stored, so that an error after that
    point (saving the session, rendering the reply) never tells the sender it was lost."""
    setattr(request, STORED_ATTRIBUTE, reference)


def stored_reference(request: HttpRequest) -> str:
    return getattr(request, STORED_ATTRIBUTE, "")


def api_error(status: int, sending: bool, stored: str) -> JsonResponse:
    if stored:
        message = _(
            "The submission was stored, but the reply failed. Send the same request again with the same Idempotency-Key to receive its reference."
        )
        code = "stored_reply_failed"
    elif status == 503:
        message = (
            _(
                "The service is temporarily unavailable: nothing was stored. Send the same request again later with the same Idempotency-Key."
            )
            if sending
            else _("The service is temporarily unavailable. Try again later.")
        )
        code = "service_unavailable"
    else:
        message = (
            _(
                "Something went wrong on our side and the submission may not have been stored. Send the same request again with the same Idempotency-Key: it is never stored twice."
            )
            if sending
            else _("Something went wrong on our side. Try again later.")
        )
        code = "server_error"
    return JsonResponse({"message": message, "code": code, "errors": {}}, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: 503 while the database is unreachable, 500 otherwise."""
    status = 503 if database_unreachable(sys.exc_info()[1]) else 500
    sending = request.method == "POST"
    stored = stored_reference(request)
    if request.path.startswith(API_PATH_PREFIX):
        # Apps say their language in Accept-Language (as everywhere in the API).
        with translation.override(request_language(request)):
            response: HttpResponse = api_error(status, sending, stored)
    else:
        template = "503.html" if status == 503 else "500.html"
        context = {"sending": sending, "stored_reference": stored}
        response = HttpResponse(render_to_string(template, context), status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
