"""Version 1 of the JSON API for apps, mounted at /api/v1/ by `cms.urls`.

Kept apart from Wagtail's read-only page API (`cms.api`, /api/v2/): this one writes
submissions, through the same forms and protections as the web journey.
"""

from django.utils.functional import lazy

from cms.core.municipality import data_set
from feedback_forms.api import router as feedback_router
from feedback_forms.api.responses import EscapedJSONRenderer, FeedbackAPI, register_error_handlers
from reports.api import router as open_data_router

DESCRIPTION = """
Evaluate the municipal programs of %(municipality)s and record needs and ideas from an app, with the
same questions, checks and protections as the website's forms.

1. Read a form's questions: `GET programs/{page_id}/evaluation-form` or `GET needs-form`.
   The system questions are top-level keys of the submission; the editor's questions
   (`in_answers: true`) go in the `answers` object. Any other key is refused.
2. Send it: `POST evaluations` or `POST needs` with a JSON object. The request body schema
   below is exact: it is built from the live forms (their program ids, questions, date ranges,
   units and settlements), and what it allows is stored (201, with `outcome`: counted, repeat
   or awaiting_verification). `consent` must be true: see the privacy notice (its address is
   in each form's `privacy_notice_url`). Send an `Idempotency-Key` header and send the same
   key when retrying: the first result comes back (200) and nothing is stored twice.
3. Follow it: `GET submissions/{reference}` shows the status and City Hall's public answer.

Labels and messages are in Georgian unless `Accept-Language` asks for English (`en`).
Refusals are JSON: `{"message", "code", "errors": {"field": ["message", ...]}}`.
No authentication and no CSRF token are needed; submissions are rate-limited per address
and per person (429 with `Retry-After`).
"""


def api_title() -> str:
    return f"{data_set()['identity']['place_en']} citizens' feedback API"


def api_description() -> str:
    return (DESCRIPTION % {"municipality": data_set()["identity"]["municipality_en"]}).strip()


api_v1 = FeedbackAPI(
    # Named from the selected data set (settings.MUNICIPALITY) when the schema is read.
    title=lazy(api_title, str)(),
    version="1",
    description=lazy(api_description, str)(),
    urls_namespace="api-v1",
    renderer=EscapedJSONRenderer(),
)
register_error_handlers(api_v1)
api_v1.add_router("/", feedback_router)
api_v1.add_router("/", open_data_router)
