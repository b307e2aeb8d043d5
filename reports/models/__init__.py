from reports.models.commitments import BudgetCommitment, CommitmentNeed, CommitmentProgressNote
from reports.models.pages import AccountabilityPage, ResultsPage
from reports.models.reports import ReportingPeriod, ResultsReport

__all__ = [
    "AccountabilityPage",
    "BudgetCommitment",
    "CommitmentNeed",
    "CommitmentProgressNote",
    "ReportingPeriod",
    "ResultsPage",
    "ResultsReport",
]
