"""The submission API for apps: form schemas, evaluations, needs and tracking, as JSON.

The handlers are thin on purpose. A submission goes through the very form class the web
journey uses (`form_class_for(page, api=True)`), after the raw JSON has passed the rules its
published schema states (`feedback_forms.api_schema`), is stored by `intake.submit`, and is
protected by the same honeypot and rate limits (every POST counts, whatever its outcome); only
the time trap is left out, since apps never render our HTML. Mounted at /api/v1/ by `cms.api_v1`.

One router (`router`), one module per resource: `form_schemas` (GET the forms), `submissions`
(POST evaluations and needs, through `feedback_forms.pipeline`), `tracking` (GET a status);
`schemas` holds the ninja schemas and `openapi` what the document needs besides. They are
imported here in the order their operations appear in the OpenAPI document.
"""

from feedback_forms.api import form_schemas, submissions, tracking  # noqa: F401 (registers)
from feedback_forms.api.form_schemas import MAX_PAGE_ID
from feedback_forms.api.openapi import document_live_forms
from feedback_forms.api.router import router
from feedback_forms.api.schemas import ErrorOut, EvaluationIn, NeedIn, StatusCode

__all__ = [
    "MAX_PAGE_ID",
    "ErrorOut",
    "EvaluationIn",
    "NeedIn",
    "StatusCode",
    "document_live_forms",
    "router",
]
