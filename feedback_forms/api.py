"""The submission API for apps: form schemas, evaluations, needs and tracking, as JSON.

The handlers are thin on purpose. A submission goes through the very form class the web
journey uses (`form_class_for(page, api=True)`), after the raw JSON has passed the rules its
published schema states (`feedback_forms.api_schema`), is stored by `intake.submit`, and is
protected by the same honeypot and rate limits (every POST counts, whatever its outcome); only
the time trap is left out, since apps never render our HTML. Mounted at /api/v1/ by `cms.api_v1`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import ConfigDict, WithJsonSchema
from wagtail.models import Page, Site

from cms.core.i18n import localized
from cms.core.personal_numbers import digest_personal_number
from cms.core.privacy import privacy_notice_url
from feedback_forms.api_schema import body_rules, body_schema, raw_errors
from feedback_forms.api_support import (
    IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_PATTERN,
    MAX_BODY_BYTES,
    ApiError,
    QuestionType,
    answer_key,
    form_data_from_json,
    form_errors,
    idempotency_key,
    in_request_language,
    is_json_integer,
    questions_for,
    read_json_object,
)
from feedback_forms.forms import form_class_for
from feedback_forms.intake import find_by_idempotency_key, outcome_of, submit
from feedback_forms.models import Channel, Evaluation, Need, NeedsFormPage
from feedback_forms.models import Status as SubmissionStatus
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    check_submission_attempt,
    client_ip,
    get_rate_limiter,
    honeypot_triggered,
)
from feedback_forms.references import normalise_reference
from feedback_forms.views import (
    PUBLIC_STATUS_TEXT,
    TRACK_LOOKUPS_PER_HOUR,
    find_submission,
    outcome_message,
    public_timeline,
)
from programs.models import ProgramPage

router = Router()
router.add_decorator(in_request_language, mode="view")

StatusCode = Literal[
    "new",
    "assigned",
    "in_review",
    "planned",
    "resolved",
    "declined",
    "spam",
    "duplicate",
    "not_eligible",
]


# --- Schemas ----------------------------------------------------------------------------------


class ErrorOut(Schema):
    message: str = Field(description="What went wrong, in the request's language.")
    code: str = Field(
        description="Stable machine-readable reason: invalid, unknown_fields, "
        "rate_limited, not_found, rejected, invalid_json, invalid_body, too_large, "
        "unsupported_media_type or idempotency_key_reused."
    )
    errors: dict[str, list[str]] = Field(
        default_factory=dict,
        description='Messages per field: top-level names, "answers.<name>" for the editor\'s '
        'questions, "Idempotency-Key" for the header and "__all__" for the whole submission.',
    )


class SubmissionOut(Schema):
    reference: str = Field(examples=["K7QM-4XPA"])
    status: StatusCode
    status_text: str = Field(description="The status as the tracking page words it.")
    tracking_url: str = Field(description="The public tracking page, in the request's language.")
    outcome: Literal["counted", "repeat", "awaiting_verification"] = Field(
        description="How the stored submission counts, told only to its sender: counted; "
        "repeat (the person already evaluated the program this half-year: the first "
        "evaluation counts, this one is kept but not counted); awaiting_verification (the "
        "program counts only people on its beneficiary list and the personal number was not "
        "found: kept, counted once the responsible service confirms it)."
    )
    message: str = Field(description="The outcome in words, in the request's language.")


class ChoiceOut(Schema):
    value: int | str = Field(
        description="What to send: a settlement id or rating as a number; a unit code, "
        "category slug or the editor's option as text."
    )
    label: str
    unit: str | None = Field(None, description="A settlement's administrative unit code.")


class QuestionOut(Schema):
    name: str = Field(description='The JSON key (inside "answers" when in_answers is true).')
    label: str
    type: QuestionType = Field(
        description="boolean: true/false; date: YYYY-MM-DD; datetime: ISO 8601; string, text, "
        "email, url: text; number: a JSON number; rating: an integer 1-5; choice: one value "
        "of choices; multichoice: a list of values of choices."
    )
    required: bool = Field(description="A required boolean must be true.")
    help_text: str
    in_answers: bool = Field(description="An editor's question, sent inside answers.")
    max_length: int | None = None
    choices: list[ChoiceOut] | None = None


class ProgramOut(Schema):
    id: int
    title: str


class FormOut(Schema):
    kind: Literal["evaluation", "need"]
    form_id: int = Field(description="The page id of the form shown.")
    title: str
    intro: str
    language: str
    program: ProgramOut | None = None
    privacy_notice_url: str | None = Field(
        None, description="The privacy notice the consent question refers to, in this language."
    )
    questions: list[QuestionOut]


class CategoryOut(Schema):
    slug: str
    name: str


class UnitOut(Schema):
    code: str
    name: str


class SettlementOut(Schema):
    id: int
    name: str
    unit: str


class TimelineStepOut(Schema):
    date: datetime.date
    status: StatusCode | Literal["received"]
    status_text: str
    message: str = Field(description="What City Hall told the resident, in their language.")


class TrackingOut(Schema):
    kind: Literal["evaluation", "need"]
    reference: str
    status: StatusCode
    status_text: str
    submitted: datetime.date
    updated: datetime.date
    answered: datetime.date | None = None
    public_answer: str = Field(description="City Hall's public answer, as plain text.")
    program: str | None = Field(None, description="The program's title.")
    title: str | None = Field(None, description="A need's title.")
    category: CategoryOut | None = None
    administrative_unit: UnitOut | None = None
    settlement: SettlementOut | None = None
    timeline: list[TimelineStepOut] = Field(
        default_factory=list,
        description="A need's public history, oldest first: received, then each change.",
    )


class SubmissionIn(Schema):
    """Documentation of the request bodies; validation is the web forms' own."""

    model_config = ConfigDict(extra="forbid")

    citizen: bool = Field(description="Must be true: only citizens of Georgia take part.")
    birth_date: datetime.date = Field(description="YYYY-MM-DD; 18 or older today.")
    personal_number: str = Field(
        max_length=20,
        description="11 digits (spaces and dashes are ignored). Only a keyed hash is stored.",
    )
    consent: bool = Field(description="Must be true: consent to the processing of the answers.")
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="Answers to the editor's questions by name (see the form schema); "
        "any other key is refused.",
    )
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=30)
    website: str | None = Field(
        None, max_length=0, description="Must be left out or empty (it traps robots)."
    )


class EvaluationIn(SubmissionIn):
    program: int = Field(description="The Georgian or English program page id.")
    used_program: bool = Field(description="Must be true: only people who used it evaluate.")
    used_on: datetime.date = Field(description="When the program was used, YYYY-MM-DD.")
    overall_rating: int = Field(ge=1, le=5)


class NeedIn(SubmissionIn):
    registered_resident: bool = Field(description="Must be true: registered in the municipality.")
    administrative_unit: str = Field(description="Unit code, e.g. 05.", examples=["05"])
    settlement: int = Field(description="Settlement id, in that administrative unit.")
    category: str = Field(description="Category slug.", examples=["infrastructure"])
    title: str = Field(max_length=200)
    description: str = Field(max_length=5000)
    program: int | None = Field(
        None,
        description="A program page id whose needs form to use; the municipality-wide form "
        "when left out.",
    )


# --- OpenAPI details ninja cannot infer from the signatures -------------------------------------

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds until the limit resets.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


def submission_openapi(
    body: type[Schema], responses: dict[int, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The request body and headers of a POST: the body is read by hand (see `receive`)."""
    return {
        "parameters": [
            {
                "in": "header",
                "name": IDEMPOTENCY_KEY_HEADER,
                "required": False,
                "description": "Send the same key when retrying: the first result is returned "
                "and nothing is stored twice.",
                "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
            }
        ],
        "requestBody": {
            "required": True,
            "description": f"A JSON object of at most {MAX_BODY_BYTES // 1024} KiB.",
            "content": {"application/json": {"schema": body.json_schema()}},
        },
        "responses": {
            200: {"description": "A retry with the same Idempotency-Key: the first result."},
            201: {
                "description": "Stored. `outcome` says how it counts (told only now, to its "
                "sender): counted, repeat or awaiting_verification."
            },
            400: {"description": "Not a JSON object, or refused."},
            409: {"description": "The Idempotency-Key was already used for another submission."},
            413: {"description": "The body is too large."},
            415: {"description": "The body is not application/json."},
            422: {"description": "Answers to correct, with a message per field."},
            429: {"description": "Too many submissions from here.", "headers": RETRY_AFTER},
            **(responses or {}),
        },
    }


# --- Form schemas -----------------------------------------------------------------------------

#: Wagtail's page ids are 32-bit (AutoField).
MAX_PAGE_ID = 2**31 - 1


def in_language(page: Page, language: str) -> Page:
    """The page's live translation in the language, else the page itself."""
    if page.locale.language_code == language:
        return page
    translation = page.get_translations().live().filter(locale__language_code=language).first()
    return translation.specific if translation else page


def program_form(page_id: int, kind: str, language: str) -> Page | None:
    """A live program's form of this kind, preferably in the request's language."""
    if not 0 < page_id <= MAX_PAGE_ID:
        return None  # databases refuse to compare with integers wider than the column
    program = ProgramPage.objects.live().public().filter(pk=page_id).first()
    if program is None:
        return None
    for candidate in dict.fromkeys(
        [in_language(program, language), program, program.canonical_program]
    ):
        form = candidate.attached_forms().get(kind)
        if form is not None:
            return form
    return None


def municipal_needs_form(request: HttpRequest | None, language: str) -> NeedsFormPage | None:
    """The live needs form under the site's home page (the default site without a request)."""
    if request is None:
        site = Site.objects.filter(is_default_site=True).first()
    else:
        site = Site.find_for_request(request)
    if site is None:
        return None
    home = site.root_page
    for candidate in dict.fromkeys([in_language(home, language), home]):
        form = NeedsFormPage.objects.live().public().child_of(candidate).first()
        if form is not None:
            return form
    return None


def absolute_privacy_notice_url(locale=None) -> str:
    relative = privacy_notice_url(locale)
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{relative}" if relative else ""


def form_schema(page: Page) -> dict[str, Any]:
    form = form_class_for(page, api=True)(page=page)
    parent = page.get_parent().specific
    program = parent if isinstance(parent, ProgramPage) else None
    privacy = absolute_privacy_notice_url(page.locale)
    questions = questions_for(form)
    for question in questions:
        if question["name"] == "consent" and privacy:
            note = _("The privacy notice: %(url)s") % {"url": privacy}
            question["help_text"] = f"{question['help_text']} {note}".strip()
    return {
        "kind": page.form_kind,
        "form_id": page.pk,
        "title": page.title,
        "intro": page.intro,
        "language": get_language(),
        "program": {"id": program.pk, "title": program.title} if program else None,
        "privacy_notice_url": privacy or None,
        "questions": questions,
    }


def no_form() -> ApiError:
    return ApiError(404, _("This form is not published."), code="not_found")


@router.get(
    "/programs/{page_id}/evaluation-form",
    response={200: FormOut, 404: ErrorOut, 422: ErrorOut},
    tags=["forms"],
    operation_id="get_evaluation_form",
    url_name="evaluation-form",
)
def evaluation_form(
    request: HttpRequest, page_id: int = Path(..., description="Program page id (ka or en).")
) -> dict[str, Any]:
    """The questions of a program's evaluation form, labelled in the Accept-Language."""
    page = program_form(page_id, "evaluation", get_language())
    if page is None:
        raise no_form()
    return form_schema(page)


@router.get(
    "/needs-form",
    response={200: FormOut, 404: ErrorOut},
    tags=["forms"],
    operation_id="get_needs_form",
    url_name="needs-form",
)
def needs_form(request: HttpRequest) -> dict[str, Any]:
    """The questions of the municipality-wide needs form."""
    page = municipal_needs_form(request, get_language())
    if page is None:
        raise no_form()
    return form_schema(page)


@router.get(
    "/programs/{page_id}/needs-form",
    response={200: FormOut, 404: ErrorOut, 422: ErrorOut},
    tags=["forms"],
    operation_id="get_program_needs_form",
    url_name="program-needs-form",
)
def program_needs_form(
    request: HttpRequest, page_id: int = Path(..., description="Program page id (ka or en).")
) -> dict[str, Any]:
    """The questions of a program's own needs form (send its id as `program` with the need)."""
    page = program_form(page_id, "need", get_language())
    if page is None:
        raise no_form()
    return form_schema(page)


# --- Submissions ------------------------------------------------------------------------------

PageFinder = Callable[[Mapping[str, Any]], Page]


def tracking_url(reference: str) -> str:
    """The public tracking page; `reverse` adds the language prefix of the active language."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}{reverse('track')}?{urlencode({'reference': reference})}"


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


def replay(existing: Evaluation | Need, kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The first result of a retried request; a key reused for someone else's is refused,
    so guessing a key can never reveal another resident's reference."""
    try:
        person = digest_personal_number(payload.get("personal_number"))
    except ValidationError:
        person = None
    same_kind = isinstance(existing, Evaluation) == (kind == "evaluation")
    same_person = person is not None and (person.digest, person.key_version) == (
        existing.person_digest,
        existing.key_version,
    )
    if not (same_kind and same_person):
        message = _("This Idempotency-Key was already used for a different submission.")
        raise ApiError(
            409,
            message,
            code="idempotency_key_reused",
            errors={IDEMPOTENCY_KEY_HEADER: [message]},
        )
    return submission_out(existing)


def refusal(errors: dict[str, list[str]], unknown: list[str]) -> ApiError:
    if unknown:
        message = _("Unknown fields: %(names)s.") % {"names": ", ".join(unknown)}
        return ApiError(422, message, code="unknown_fields", errors=errors)
    message = _("Some answers need correcting: see the message for each field.")
    return ApiError(422, message, code="invalid", errors=errors)


def rate_limit_refusal(limit) -> ApiError:
    message = _("Too many submissions were sent from here. Try again in %(minutes)s minutes.") % {
        "minutes": max(1, math.ceil(limit.retry_after / 60))
    }
    return ApiError(
        429, message, code="rate_limited", headers={"Retry-After": str(limit.retry_after)}
    )


def receive(request: HttpRequest, kind: str, find_page: PageFinder) -> Status:
    """JSON in, the web form's validation, `intake.submit`, JSON out.

    Every request with a JSON object counts against the rate limits first, whatever happens
    to it next (README, "No oracle"): the answer to a personal number that is on a beneficiary
    list, or has evaluated before, is the same as to one that is not, until a consented
    submission is stored; only then does the response say how it counts (``outcome``).
    """
    key = idempotency_key(request)
    payload = read_json_object(request)
    limit = check_submission_attempt(client_ip(request), payload.get("personal_number"))
    if not limit.allowed:
        raise rate_limit_refusal(limit)
    if honeypot_triggered(payload) or payload.get(HONEYPOT_FIELD_NAME) not in (None, ""):
        message = _("The form could not be sent. Please check your answers and send it again.")
        raise ApiError(400, message, code="rejected")
    existing = find_by_idempotency_key(key)
    if existing is not None:
        return Status(200, replay(existing, kind, payload))
    page = find_page(payload)
    form_class = form_class_for(page, api=True)
    translated = form_data_from_json(
        payload,
        form_class(page=page).fields,
        form_class.extra_field_names,
        also_allowed=("program", HONEYPOT_FIELD_NAME),
    )
    form = form_class(translated.data, page=page)
    form.is_valid()
    raw = raw_errors(payload, body_rules(page), answer_key)
    errors = {**form_errors(form), **raw, **translated.errors}
    if errors:
        raise refusal(errors, translated.unknown)
    result = submit(form, channel=Channel.ONLINE, idempotency_key=key, keep_repeats=True)
    return Status(201 if result.created else 200, submission_out(result.submission))


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


# --- The request bodies of the live forms, for the OpenAPI document -----------------------------


def forms_by_program_id(kind: str) -> dict[int, list[int]]:
    """Live form page id -> the program page ids (ka and en) whose `kind` form it is."""
    found: dict[int, list[int]] = {}
    language = settings.LANGUAGE_CODE
    for program_id in (
        ProgramPage.objects.live().public().order_by("pk").values_list("pk", flat=True)
    ):
        page = program_form(program_id, kind, language)
        if page is not None:
            found.setdefault(page.pk, []).append(program_id)
    return found


def live_body_schemas(request_language: str = "") -> dict[str, list[dict[str, Any]]]:
    """The body of each submission operation: one alternative per live form."""
    from django.utils import translation

    privacy = absolute_privacy_notice_url()
    bodies: dict[str, list[dict[str, Any]]] = {"create_evaluation": [], "create_need": []}
    with translation.override(request_language or settings.LANGUAGE_CODE):
        for kind, operation in (("evaluation", "create_evaluation"), ("need", "create_need")):
            for form_id, program_ids in forms_by_program_id(kind).items():
                page = Page.objects.get(pk=form_id).specific
                program = {"type": "integer", "enum": program_ids}
                bodies[operation].append(body_schema(body_rules(page, privacy), program, True))
        municipal = (
            NeedsFormPage.objects.live()
            .public()
            .filter(locale__language_code=settings.LANGUAGE_CODE, depth=3)
            .first()
        )
        if municipal is not None:
            bodies["create_need"].append(
                body_schema(body_rules(municipal, privacy), {"type": "null"}, False)
            )
    return bodies


def document_live_forms(schema: dict[str, Any]) -> None:
    """Replace the static body documentation of the POSTs by the live forms' exact bodies."""
    bodies = live_body_schemas()
    for path in schema.get("paths", {}).values():
        post = path.get("post")
        if not post or not bodies.get(post.get("operationId")):
            continue
        variants = bodies[post["operationId"]]
        content = post["requestBody"]["content"]["application/json"]
        content["schema"] = variants[0] if len(variants) == 1 else {"anyOf": variants}


# --- Tracking ---------------------------------------------------------------------------------


def tracked(submission: Evaluation | Need) -> dict[str, Any]:
    """What the public tracking page shows: status, dates, the answer; nothing personal."""
    is_need = isinstance(submission, Need)
    program = submission.program
    if program is not None:
        program_title = in_language(program, get_language()).title
    else:
        program_title = None if is_need else submission.program_title
    category = submission.category
    body = {
        **status_fields(submission),
        "kind": "need" if is_need else "evaluation",
        "submitted": timezone.localdate(submission.created_at),
        "updated": timezone.localdate(submission.updated_at),
        "answered": timezone.localdate(submission.answered_at) if submission.answered_at else None,
        "public_answer": submission.public_answer,
        "program": program_title,
        "category": {"slug": category.slug, "name": localized(category, "name")}
        if category
        else None,
    }
    if is_need:
        unit, settlement = submission.administrative_unit, submission.settlement
        body.update(
            timeline=[
                {
                    "date": timezone.localdate(step.at),
                    "status": step.status,
                    "status_text": step.status_text,
                    "message": step.message,
                }
                for step in public_timeline(submission)
            ],
            title=submission.title,
            administrative_unit={"code": unit.code, "name": localized(unit, "name")},
            settlement={
                "id": settlement.pk,
                "name": localized(settlement, "name"),
                "unit": settlement.unit.code,
            },
        )
    return body


REFERENCE_PATTERN = r"^[0-9A-Za-z ._-]{8,40}$"


@router.get(
    "/submissions/{reference}",
    response={200: TrackingOut, 404: ErrorOut, 429: ErrorOut},
    tags=["submissions"],
    operation_id="get_submission",
    url_name="submission",
    openapi_extra={"responses": {429: {"headers": RETRY_AFTER}}},
)
def submission_status(
    request: HttpRequest,
    # Documented, not enforced: a reference that does not fit is simply not found (404).
    reference: Annotated[
        str, WithJsonSchema({"type": "string", "pattern": REFERENCE_PATTERN})
    ] = Path(
        ...,
        description="The reference, e.g. K7QM-4XPA (any case; spaces and dashes are ignored).",
    ),
) -> dict[str, Any]:
    """A submission's status and public answer, for anyone who has its reference."""
    limit = get_rate_limiter().hit(f"track:{client_ip(request)}", TRACK_LOOKUPS_PER_HOUR, 3600)
    if not limit.allowed:
        raise ApiError(
            429,
            _("Too many look-ups from here. Please try again later."),
            code="rate_limited",
            headers={"Retry-After": str(limit.retry_after)},
        )
    normalised = normalise_reference(reference[:40])
    if normalised is None:
        raise ApiError(
            404,
            _("A reference has 8 letters and digits, for example K7QM-4XPA."),
            code="not_found",
        )
    submission = find_submission(normalised)
    if submission is None:
        raise ApiError(
            404,
            _("We found nothing with this reference. Check it and try again."),
            code="not_found",
        )
    return tracked(submission)
