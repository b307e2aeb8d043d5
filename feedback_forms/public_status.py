"""What a resident is told about a stored submission: its public status in words, a need's
timeline, how it counts, and the look-up by reference.

The tracking page, the API, the follow-up pages, the e-mails and the public results pages all
say it the same way, so they import it from here (not from one another's views).
"""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback_forms.forms import next_period_start
from feedback_forms.intake import Outcome, outcome_of
from feedback_forms.models import Evaluation, Need, Status

#: Look-ups by reference per client address and hour (the tracking page and the API).
TRACK_LOOKUPS_PER_HOUR = 60

PUBLIC_STATUS_TEXT = {
    Status.NEW: gettext_lazy("Received"),
    Status.ASSIGNED: gettext_lazy("Passed to the responsible City Hall service"),
    Status.IN_REVIEW: gettext_lazy("Being reviewed by the responsible service"),
    Status.PLANNED: gettext_lazy("Answered: the work is planned"),
    Status.RESOLVED: gettext_lazy("Answered: resolved"),
    Status.DECLINED: gettext_lazy("Answered: cannot be done"),
    Status.SPAM: gettext_lazy("Closed"),
    Status.DUPLICATE: gettext_lazy("Closed as a duplicate of another submission"),
    Status.NOT_ELIGIBLE: gettext_lazy("Closed: the conditions of the rule were not met"),
}


@dataclass(frozen=True)
class TimelineStep:
    """One step of a need's public timeline; `message` is in the resident's language."""

    at: Any
    status: str
    status_text: str
    message: str = ""


def public_timeline(need: Need) -> list[TimelineStep]:
    """Everything the resident has been told, oldest first: received, then each change."""
    steps = [TimelineStep(need.created_at, "received", str(_("Received")))]
    for update in need.updates.all():
        steps.append(
            TimelineStep(
                update.at,
                update.status,
                str(PUBLIC_STATUS_TEXT[Status(update.status)]),
                update.message,
            )
        )
    return steps


def find_submission(reference: str) -> Evaluation | Need | None:
    return (
        Need.objects.select_related("category", "settlement", "administrative_unit")
        .filter(reference=reference)
        .first()
        or Evaluation.objects.filter(reference=reference).first()
    )


def outcome_message(submission: Evaluation | Need) -> str:
    """How a stored submission counts, in words, for its sender only (page and API)."""
    outcome = outcome_of(submission)
    if outcome is Outcome.REPEAT:
        again = next_period_start(timezone.localdate(submission.created_at))
        return _(
            "You had already evaluated this program in this half of the year. The first "
            "evaluation is the one that counts: this one is kept with it, but it is not counted. "
            "You can evaluate the program again from %(date)s."
        ) % {"date": again.strftime("%d.%m.%Y")}
    if outcome is Outcome.AWAITING_VERIFICATION:
        return _(
            "This program counts evaluations only from people on its list of beneficiaries, and "
            "your personal number was not found on it. Your evaluation is kept, awaiting "
            "verification: it will be counted once the responsible City Hall service confirms "
            "that you used the program."
        )
    if isinstance(submission, Evaluation):
        return _("Thank you, your evaluation was received")
    return _("Thank you, your need was recorded")
