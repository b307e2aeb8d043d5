from feedback_forms.models.audit import SubmissionLogEntry
from feedback_forms.models.pages import (
    EvaluationFormField,
    EvaluationFormPage,
    NeedsFormField,
    NeedsFormPage,
)
from feedback_forms.models.protection import RateLimitCounter, UsedFormToken
from feedback_forms.models.submissions import (
    HIDDEN_STATUSES,
    Channel,
    Evaluation,
    Need,
    Status,
)
from feedback_forms.models.workflow import ExportJob, NeedNote, NeedUpdate

__all__ = [
    "HIDDEN_STATUSES",
    "Channel",
    "Evaluation",
    "EvaluationFormField",
    "EvaluationFormPage",
    "ExportJob",
    "Need",
    "NeedNote",
    "NeedUpdate",
    "NeedsFormField",
    "NeedsFormPage",
    "RateLimitCounter",
    "Status",
    "SubmissionLogEntry",
    "UsedFormToken",
]
