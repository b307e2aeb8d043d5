"""POST evaluations and needs: the JSON bound to the web's form, through the intake pipeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Status
from ninja.decorators import decorate_view
from wagtail.models import Page

from cms.core.client_address import client_ip
from cms.core.errors import note_stored
from cms.core.public_urls import public_url
from feedback_forms.api.form_schemas import municipal_needs_form, no_form, program_form
from feedback_forms.api.openapi import submission_openapi
from feedback_forms.api.router import router
from feedback_forms.api.schemas import ErrorOut, EvaluationIn, NeedIn, SubmissionOut
from feedback_forms.api_schema import body_rules, raw_errors
from feedback_forms.api_support import (
    IDEMPOTENCY_KEY_HEADER,
    ApiError,
    answer_key,
    form_data_from_json,
    form_errors,
    idempotency_key,
    is_json_integer,
    read_json_object,
)
from feedback_forms.form_classes import form_class_for
from feedback_forms.forms import SystemQuestionsForm
from feedback_forms.intake import IntakeResult, outcome_of, submit
from feedback_forms.models import Channel, Evaluation, Need
from feedback_forms.models import Status as SubmissionStatus
from feedback_forms.pipeline import Attempt, Guard, Refusal, Replayed, Route, Stored, run
from feedback_forms.protection import HONEYPOT_FIELD_NAME, RateLimitResult, retry_after_minutes
from feedback_forms.public_status import PUBLIC_STATUS_TEXT, outcome_message

PageFinder = Callable[[Mapping[str, Any]], Page]


def tracking_url(reference: str) -> str:
    """The public tracking page; `reverse` adds the language prefix of the active language."""
    return public_url(f"{reverse('track')}?{urlencode({'reference': reference})}")


def status_fields(submission: Evaluation | Need) -> dict[str, str]:
    status = SubmissionStatus(submission.status)
    return {
        "reference": submission.reference,
        "status": status.value,
        "status_text": str(PUBLIC_STATUS_TEXT[status]),
    }


def submission_out(submission: Evaluation | Need) -> dict[str, Any]:
    return {
        **status_fields(submission),
        "tracking_url": tracking_url(submission.reference),
        "outcome": outcome_of(submission).value,
        "message": outcome_message(submission),
    }


def field_error(field: str, message: str, *, status: int = 422) -> ApiError:
    return ApiError(status, message, code="invalid", errors={field: [message]})


def program_id_from(payload: Mapping[str, Any]) -> int | None:
    value = payload.get("program")
    if value is not None and not is_json_integer(value):
        raise field_error("program", _("Enter a whole number."))
    return None if value is None else int(value)


def evaluation_page_finder(request: HttpRequest) -> PageFinder:
    def find(payload: Mapping[str, Any]) -> Page:
        program_id = program_id_from(payload)
        if program_id is None:
            raise field_error("program", _("This field is required."))
        page = program_form(program_id, "evaluation", get_language())
        if page is None:
            raise field_error(
                "program", _("Choose a program that has a published evaluation form.")
            )
        return page

    return find


def needs_page_finder(request: HttpRequest) -> PageFinder:
    def find(payload: Mapping[str, Any]) -> Page:
        program_id = program_id_from(payload)
        if program_id is None:
            page = municipal_needs_form(request, get_language())
            if page is None:
                raise no_form()
            return page
        page = program_form(program_id, "need", get_language())
        if page is None:
            raise field_error("program", _("Choose a program that has a published needs form."))
        return page

    return find


def refusal(errors: Mapping[str, list[str]], unknown: list[str]) -> ApiError:
    if unknown:
        message = _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}
        return ApiError(422, message, code="unknown_fields", errors=errors)
    message = _("Some answers need correcting: see the message for each field.")
    return ApiError(422, message, code="invalid", errors=errors)


def rate_limit_refusal(limit: RateLimitResult) -> ApiError:
    message = _("Too many submissions were sent from here. Try again in %(minutes)s minutes.") % {
        "minutes": retry_after_minutes(limit)
    }
    return ApiError(
        429, message, code="rate_limited", headers={"Retry-After": str(limit.retry_after)}
    )


def api_error(answer: Refusal, unknown: list[str]) -> ApiError:
    """A guard's refusal as the API words it."""
    if answer.guard is Guard.RATE_LIMIT and answer.limit is not None:
        return rate_limit_refusal(answer.limit)
    if answer.guard is Guard.REPLAY:
        errors = {IDEMPOTENCY_KEY_HEADER: [answer.message]}
        return ApiError(answer.status, answer.message, code=answer.code, errors=errors)
    if answer.guard is Guard.VALIDATION:
        return refusal(answer.errors, unknown)
    return ApiError(answer.status, answer.message, code=answer.code)


class JsonSubmission:
    """`Guard.VALIDATION` and `Guard.STORE` of a JSON body: the web's form, bound to it."""

    def __init__(self, request: HttpRequest, payload: dict[str, Any], find_page: PageFinder):
        self.request, self.payload, self.find_page = request, payload, find_page
        self.unknown: list[str] = []
        self.form: SystemQuestionsForm | None = None

    def validate(self) -> dict[str, list[str]]:
        page = self.find_page(self.payload)  # an ApiError when there is no such form
        page.keep_for_request()  # fetched for this request only
        form_class = form_class_for(page, api=True)
        blank = form_class(page=page)
        translated = form_data_from_json(
            self.payload,
            blank.fields,
            form_class.extra_field_names,
            also_allowed=("program", HONEYPOT_FIELD_NAME),
        )
        self.form = form = form_class(translated.data, page=page)
        form.is_valid()
        raw = raw_errors(self.payload, body_rules(page, form=blank), answer_key)
        self.unknown = translated.unknown
        return {**form_errors(form), **raw, **translated.errors}

    def store(self, key: str | None, ran: Callable[[str], None]) -> IntakeResult:
        if self.form is None:
            raise RuntimeError("Validate the submission before storing it.")
        return submit(
            self.form,
            channel=Channel.ONLINE,
            idempotency_key=key,
            keep_repeats=True,
            key_looked_up=True,  # `Guard.REPLAY` looked it up
            ran=ran,
        )


def receive(request: HttpRequest, kind: str, find_page: PageFinder) -> Status:
    """JSON in, the intake pipeline (`feedback_forms.pipeline`, route API), JSON out.

    Every request with a JSON object counts against the rate limits first, whatever happens
    to it next (README, "No oracle"): the answer to a personal number that is on a beneficiary
    list, or has evaluated before, is the same as to one that is not, until a consented
    submission is stored; only then does the response say how it counts (``outcome``).
    """
    key = idempotency_key(request)
    payload = read_json_object(request)
    body = JsonSubmission(request, payload, find_page)
    answer = run(
        Attempt(
            route=Route.API,
            data=payload,
            ip=client_ip(request),
            idempotency_key=key,
            kind=kind,
            validate=body.validate,
            store=lambda ran: body.store(key, ran),
        )
    )
    if isinstance(answer, Refusal):
        raise api_error(answer, body.unknown)
    if isinstance(answer, Replayed):
        return Status(200, submission_out(answer.submission))
    if not isinstance(answer, Stored):
        raise RuntimeError("The API's route always stores or refuses.")
    note_stored(request, answer.result.submission.reference)
    status = 201 if answer.result.created else 200
    return Status(status, submission_out(answer.result.submission))


REFUSALS = (400, 409, 413, 415, 422, 429)


@router.post(
    "/evaluations",
    response={(200, 201): SubmissionOut, REFUSALS: ErrorOut},
    tags=["submissions"],
    operation_id="create_evaluation",
    url_name="evaluations",
    openapi_extra=submission_openapi(EvaluationIn),
)
@decorate_view(never_cache)
def create_evaluation(request: HttpRequest) -> Status:
    """Evaluate a program (Art. 3.2): 18+ citizens of Georgia who used it, once per half-year."""
    return receive(request, "evaluation", evaluation_page_finder(request))


@router.post(
    "/needs",
    response={(200, 201): SubmissionOut, (*REFUSALS, 404): ErrorOut},
    tags=["submissions"],
    operation_id="create_need",
    url_name="needs",
    openapi_extra=submission_openapi(
        NeedIn, {404: {"description": "The municipality-wide needs form is not published."}}
    ),
)
@decorate_view(never_cache)
def create_need(request: HttpRequest) -> Status:
    """Record a need or idea (Art. 3.3): 18+ citizens registered in the municipality."""
    return receive(request, "need", needs_page_finder(request))
