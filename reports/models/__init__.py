from reports.models.commitments import BudgetCommitment, CommitmentProgressNote
from reports.models.pages import AccountabilityPage, ResultsPage
from reports.models.reports import ReportingPeriod, ResultsReport

__all__ = [
    "AccountabilityPage",
    "BudgetCommitment",
    "CommitmentProgressNote",
    "ReportingPeriod",
    "ResultsPage",
    "ResultsReport",
]
