"""How the API answers: escaped UTF-8 JSON, one JSON shape for every refusal, and an OpenAPI
document that states the live forms' bodies. `cms.api_v1` builds the API with these."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from feedback_forms.api.openapi import document_live_forms
from feedback_forms.api_support import NON_FIELD, ApiError


class EscapedJSONRenderer(JSONRenderer):
    """UTF-8 JSON in which <, > and & are \\u-escaped.

    Residents' text is returned as they typed it; escaping these three characters (they can
    only occur inside JSON strings) means no browser can ever read a response as HTML.
    """

    json_dumps_params = {"ensure_ascii": False}
    escapes = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return (
            super().render(request, data, response_status=response_status).translate(self.escapes)
        )


def register_error_handlers(api: NinjaAPI) -> None:
    """Every refusal, ninja's own included, answers with the same translated JSON shape."""

    def respond(request: HttpRequest, error: ApiError) -> HttpResponse:
        response = api.create_response(request, error.body(), status=error.status)
        for header, value in error.headers.items():
            response[header] = value
        return response

    def invalid_parameters(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for detail in exc.errors:
            location = [str(part) for part in detail.get("loc", ())[1:]] or [NON_FIELD]
            message = (
                _("Enter a whole number.")
                if str(detail.get("type", "")).startswith("int")
                else _("Enter a valid value.")
            )
            errors.setdefault(".".join(location), []).append(message)
        message = _("Some values in the request are not valid.")
        return respond(request, ApiError(422, message, code="invalid", errors=errors))

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, ApiError(404, _("Not found."), code="not_found"))

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, ApiError(exc.status_code, str(exc), code="error"))

    # ninja calls a handler with the raised instance; its ExcHandler type also allows the class.
    api.add_exception_handler(ApiError, respond)  # type: ignore[arg-type]
    api.add_exception_handler(NinjaValidationError, invalid_parameters)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, not_found)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]


class FeedbackAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document states the live forms' request bodies exactly
    (feedback_forms.api_schema): built when the document is requested."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        document_live_forms(schema)
        return schema
