"""Plumbing the JSON API shares between its endpoints: language, body, JSON <-> form, errors.

Nothing here decides whether an answer is acceptable: that is the forms' job, so the API and
the web journey can never disagree. This module only checks that each JSON value has the type
its form field expects (a JSON `true`, not the string "yes"), turns the JSON object into the
dict a Django form binds to, and turns the form back into a question list or error messages.
How the API answers (the JSON renderer, the error handlers) is `feedback_forms.api.responses`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, Literal

from django import forms
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cms.core.i18n import request_language
from cms.core.request_memo import remembered_rows
from feedback_forms.fields import RatingField

if TYPE_CHECKING:
    from feedback_forms.forms import SystemQuestionsForm

#: Far above any honest submission (a 5,000-character description sent as \\u escapes is
#: 30 KB), far below what would let a client make the server parse megabytes.
MAX_BODY_BYTES = 256 * 1024
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: Stored keys carry this prefix, so an app's key can never equal a web journey's key.
IDEMPOTENCY_KEY_NAMESPACE = "api:"
ANSWERS = "answers"
NON_FIELD = "__all__"

QuestionType = Literal[
    "boolean",
    "date",
    "datetime",
    "string",
    "text",
    "email",
    "url",
    "number",
    "rating",
    "choice",
    "multichoice",
]


class ApiError(Exception):
    """A refusal the API answers with a JSON body: raise it anywhere below a handler."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str,
        errors: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "errors": self.errors}


# --- Language ---------------------------------------------------------------------------------


def in_request_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run an operation (and its error handlers) in the request's language (ninja "view" mode)."""

    @functools.wraps(run)
    def run_in_language(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = run(request, *args, **kwargs)
        # LocaleMiddleware only sets Content-Language when it is missing.
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    return run_in_language


# --- Request body and headers -----------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def read_json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object, or an ApiError that says what is wrong with it."""
    if request.content_type != "application/json":
        raise ApiError(
            415,
            _("Send the request body as JSON, with the header Content-Type: application/json."),
            code="unsupported_media_type",
        )
    too_large = ApiError(413, _("The request body is too large."), code="too_large")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig as error:
        raise too_large from error
    if len(body) > MAX_BODY_BYTES:
        raise too_large
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:  # ValueError covers bad UTF-8 and huge ints
        raise ApiError(
            400, _("The request body is not valid JSON."), code="invalid_json"
        ) from error
    if not isinstance(payload, dict):
        raise ApiError(400, _("The request body must be a JSON object."), code="invalid_body")
    if has_lone_surrogate(payload):
        raise ApiError(
            400,
            _(
                "The request body contains text that is not valid Unicode (an unpaired "
                "surrogate escape such as \\ud800). Send the text as UTF-8."
            ),
            code="invalid_json",
        )
    return payload


def is_unencodable(text: str) -> bool:
    """A str Python accepts but UTF-8 (and so the database and the response) cannot hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def has_lone_surrogate(payload: Any) -> bool:
    """Whether any key or string of parsed JSON holds a lone surrogate ("\\ud800" is valid
    JSON syntax, but no character): every such text must be refused before it is used."""
    pending = [payload]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if is_unencodable(value):
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def idempotency_key(request: HttpRequest) -> str | None:
    """The stored form of the `Idempotency-Key` header: namespaced and of a fixed length.

    Hashing keeps "api:" plus a 64-character key inside the 64-character column.
    """
    raw = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if raw is None:
        return None
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, raw):
        message = _(
            "The Idempotency-Key header must be 1 to 64 letters, digits, hyphens or underscores."
        )
        raise ApiError(422, message, code="invalid", errors={IDEMPOTENCY_KEY_HEADER: [message]})
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"{IDEMPOTENCY_KEY_NAMESPACE}{digest[: 64 - len(IDEMPOTENCY_KEY_NAMESPACE)]}"


# --- Form fields as JSON ----------------------------------------------------------------------


def question_type(field: forms.Field) -> QuestionType:
    """What kind of answer a form field takes; subclasses are tested before their bases."""
    if isinstance(field, RatingField):
        return "rating"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.DateTimeField):
        return "datetime"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.EmailField):
        return "email"
    if isinstance(field, forms.URLField):
        return "url"
    if isinstance(field, (forms.DecimalField, forms.FloatField, forms.IntegerField)):
        return "number"
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return "multichoice"
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        return "choice"
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
        return "text"
    return "string"


def is_json_integer(value: Any) -> bool:
    """A JSON integer; 2.0 is one too, as JSON Schema counts numbers by their value."""
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)


def as_integer(value: Any) -> Any:
    """2.0 -> 2 for the form; anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _choice_values_are_integers(field: forms.Field) -> bool:
    """Settlements are chosen by id; units, categories and editors' options by text."""
    return isinstance(field, forms.ModelChoiceField) and not field.to_field_name


def _message(field: forms.Field, key: str, value: Any = "") -> str:
    """A field's own error message, formatted the way Django formats it."""
    error = ValidationError(field.error_messages[key], params={"value": str(value)[:100]})
    return error.messages[0]


def json_type_error(field: forms.Field, value: Any) -> str | None:
    """A translated message when a JSON value has the wrong type for its field, else None."""
    kind = question_type(field)
    if kind == "boolean":
        return None if isinstance(value, bool) else _("Enter true or false.")
    if kind == "rating":
        return None if is_json_integer(value) else _("Choose a rating from 1 to 5.")
    if kind == "number":
        is_number = isinstance(value, float) or is_json_integer(value)
        return None if is_number else _message(field, "invalid")
    if kind == "choice":
        expected = (
            is_json_integer(value) if _choice_values_are_integers(field) else isinstance(value, str)
        )
        return None if expected else _message(field, "invalid_choice", value)
    if kind == "multichoice":
        if not isinstance(value, list):
            return _message(field, "invalid_list")
        wrong = next((item for item in value if not isinstance(item, str)), None)
        return None if wrong is None else _message(field, "invalid_choice", wrong)
    if isinstance(value, str):
        return None
    if kind in ("date", "datetime", "email", "url"):
        return _message(field, "invalid")
    return _("Enter text.")


@dataclass
class FormInput:
    """JSON translated for a form: the data to bind, and what could not be translated."""

    data: dict[str, Any] = dataclass_field(default_factory=dict)
    errors: dict[str, list[str]] = dataclass_field(default_factory=dict)
    unknown: list[str] = dataclass_field(default_factory=list)


def form_data_from_json(
    payload: Mapping[str, Any],
    fields: Mapping[str, forms.Field],
    extra_field_names: Iterable[str],
    *,
    also_allowed: Iterable[str] = (),
) -> FormInput:
    """Turn the JSON object into form data, and list the values that cannot go into a form.

    System questions are top-level keys, the editor's questions go in `answers`; any other key
    is refused by name, so a misspelt key is an error rather than a silently lost answer.
    `null` means "not answered" and leaves the decision to the form.
    """
    editor_names = [name for name in extra_field_names if name in fields]
    system = {name: field for name, field in fields.items() if name not in editor_names}
    result = FormInput()
    allowed = {*system, ANSWERS, *also_allowed}
    result.unknown = [name for name in payload if name not in allowed]
    answers = payload.get(ANSWERS)
    if answers is None:
        answers = {}
    elif not isinstance(answers, dict):
        result.errors[ANSWERS] = [_("Send the answers to the extra questions as a JSON object.")]
        answers = {}
    result.unknown += [answer_key(name) for name in answers if name not in editor_names]
    for name in result.unknown:
        result.errors[name] = [_("Unknown field.")]
    sources = [(name, payload, name) for name in system]
    sources += [(name, answers, answer_key(name)) for name in editor_names]
    for name, source, key in sources:
        value = source.get(name)
        if value is None:
            continue
        problem = json_type_error(fields[name], value)
        if problem:
            result.errors[key] = [problem]
        elif question_type(fields[name]) in ("rating", "choice"):
            result.data[name] = as_integer(value)
        else:
            result.data[name] = value
    return result


def answer_key(name: str) -> str:
    """Where an editor's question lives in the JSON, as error keys name it."""
    return f"{ANSWERS}.{name}"


def form_errors(form: SystemQuestionsForm) -> dict[str, list[str]]:
    """The form's messages keyed as the JSON names the fields ("answers.<name>" for extras)."""
    extra = set(form.extra_field_names)
    return {
        (answer_key(name) if name in extra else name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


# --- Form schema ------------------------------------------------------------------------------


def plain_text(value: Any) -> str:
    """Help texts are escaped (or HTML) for templates; apps get them as plain text."""
    return html.unescape(strip_tags(str(value or ""))).strip()


def choices_for(field: forms.Field) -> list[dict[str, Any]] | None:
    """The values a choice field accepts, with labels in the active language."""
    kind = question_type(field)
    if kind not in ("rating", "choice", "multichoice"):
        return None
    if isinstance(field, forms.ModelChoiceField):
        result = []
        queryset = field.queryset
        rows = (
            []
            if queryset is None
            else queryset
            if queryset.query.where
            else remembered_rows(queryset)
        )
        for obj in rows:
            unit = getattr(obj, "unit", None)
            result.append(
                {
                    "value": getattr(obj, field.to_field_name) if field.to_field_name else obj.pk,
                    "label": field.label_from_instance(obj),
                    "unit": getattr(unit, "code", None),
                }
            )
        return result
    result = []
    # A ChoiceField by its question type (the stubs' choices type is not iterable as such).
    for value, label in field.choices:  # type: ignore[attr-defined]
        options = label if isinstance(label, (list, tuple)) else [(value, label)]
        for option_value, option_label in options:
            if option_value in ("", None):
                continue
            json_value = int(option_value) if kind == "rating" else str(option_value)
            result.append({"value": json_value, "label": str(option_label), "unit": None})
    return result


def questions_for(form: SystemQuestionsForm) -> list[dict[str, Any]]:
    """Every question of a form, in the order the web form asks them."""
    extra = set(form.extra_field_names)
    return [
        {
            "name": name,
            "label": str(field.label or name),
            "type": question_type(field),
            "required": field.required,
            "help_text": plain_text(field.help_text),
            "in_answers": name in extra,
            "max_length": getattr(field, "max_length", None),
            "choices": choices_for(field),
        }
        for name, field in form.fields.items()
    ]
