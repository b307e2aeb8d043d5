"""The API's response and request-body schemas (ninja), as the OpenAPI document shows them."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from feedback_forms.api_support import QuestionType

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
