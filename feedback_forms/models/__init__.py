from feedback_forms.models.pages import (
    EvaluationFormField,
    EvaluationFormPage,
    NeedsFormField,
    NeedsFormPage,
)
from feedback_forms.models.protection import RateLimitCounter
from feedback_forms.models.submissions import (
    HIDDEN_STATUSES,
    Channel,
    Evaluation,
    Need,
    Status,
)

__all__ = [
    "HIDDEN_STATUSES",
    "Channel",
    "Evaluation",
    "EvaluationFormField",
    "EvaluationFormPage",
    "Need",
    "NeedsFormField",
    "NeedsFormPage",
    "RateLimitCounter",
    "Status",
]
