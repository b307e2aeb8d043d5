"""Who may take each step of the results cycle and the commitments, and its audit-log action."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

LOG_COMPILE = "reports.compile"
LOG_SEND = "reports.send"
LOG_REVIEW = "reports.review"
LOG_PUBLISH = "reports.publish"
LOG_COMMITMENT = "reports.commitment"
LOG_UNLINK = "reports.commitment_unlink"
LOG_COMMITMENT_STATUS = "reports.commitment_status"

SEND_PERMISSION = "reports.send_resultsreport"
REVIEW_PERMISSION = "reports.review_resultsreport"
PUBLISH_PERMISSION = "reports.publish_resultsreport"
COMPILE_PERMISSION = "reports.add_resultsreport"
DECIDE_PERMISSION = "reports.decide_budgetcommitment"


def require(user: User, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied
