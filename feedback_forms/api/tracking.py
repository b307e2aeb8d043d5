"""GET a submission's status by its reference: what the public tracking page shows."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Path
from pydantic import WithJsonSchema

from cms.core.client_address import client_ip
from cms.core.i18n import localized
from feedback_forms.api.form_schemas import in_language
from feedback_forms.api.openapi import RETRY_AFTER
from feedback_forms.api.router import router
from feedback_forms.api.schemas import ErrorOut, TrackingOut
from feedback_forms.api.submissions import status_fields
from feedback_forms.api_support import ApiError
from feedback_forms.models import Evaluation, Need
from feedback_forms.protection import get_rate_limiter
from feedback_forms.public_status import (
    TRACK_LOOKUPS_PER_HOUR,
    find_submission,
    public_timeline,
)
from feedback_forms.references import normalise_reference


def tracked(submission: Evaluation | Need) -> dict[str, Any]:
    """What the public tracking page shows: status, dates, the answer; nothing personal."""
    is_need = isinstance(submission, Need)
    program = submission.program
    if program is not None:
        program_title = in_language(program, get_language()).title
    else:
        program_title = None if isinstance(submission, Need) else submission.program_title
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
    if isinstance(submission, Need):
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
            # None for a place the resident named that is not (yet) in the reference data.
            settlement={
                "id": settlement.pk,
                "name": localized(settlement, "name"),
                "unit": settlement.unit.code,
            }
            if settlement
            else None,
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
