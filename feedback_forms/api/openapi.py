"""What ninja cannot infer for the OpenAPI document: the POSTs' headers and responses, and the
exact request bodies of the live forms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Schema
from wagtail.models import Page

from feedback_forms.api.form_schemas import absolute_privacy_notice_url, program_form
from feedback_forms.api_schema import body_rules, body_schema
from feedback_forms.api_support import (
    IDEMPOTENCY_KEY_HEADER,
    IDEMPOTENCY_KEY_PATTERN,
    MAX_BODY_BYTES,
)
from feedback_forms.models import NeedsFormPage
from programs.models import ProgramPage

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
