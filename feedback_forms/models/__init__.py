from feedback_forms.models.audit import SubmissionLogEntry
from feedback_forms.models.loop import (
    AnswerTemplate,
    FixCheck,
    NotificationPreference,
    SentNotification,
)
from feedback_forms.models.pages import (
    EvaluationFormField,
    EvaluationFormPage,
    NeedsFormField,
    NeedsFormPage,
)
from feedback_forms.models.photos import NeedPhoto
from feedback_forms.models.protection import RateLimitCounter, UsedFormToken
from feedback_forms.models.submissions import (
    HIDDEN_STATUSES,
    LOW_RATING,
    Channel,
    Evaluation,
    Need,
    Status,
)
from feedback_forms.models.workflow import ExportJob, NeedNote, NeedUpdate

__all__ = [
    "AnswerTemplate",
    "FixCheck",
    "NotificationPreference",
    "SentNotification",
    "HIDDEN_STATUSES",
    "LOW_RATING",
    "Channel",
    "Evaluation",
    "EvaluationFormField",
    "EvaluationFormPage",
    "ExportJob",
    "Need",
    "NeedNote",
    "NeedPhoto",
    "NeedUpdate",
    "NeedsFormField",
    "NeedsFormPage",
    "RateLimitCounter",
    "Status",
    "SubmissionLogEntry",
    "UsedFormToken",
]
