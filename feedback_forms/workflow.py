"""The life of a need after it arrives (DESIGN.md "Workflow of a need").

new -> assigned (service, representative, due date) -> in review -> answered as planned,
resolved or declined (each with a public answer); spam, duplicate and not eligible are hidden
from reports. Every change is validated here, written to Wagtail's audit log with who and when,
and the resident is told by e-mail when they left an address and the change is one they care
about. Views, bulk actions and tests all go through these functions.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from feedback_forms.models import Evaluation, Need, NeedNote, Status

ANSWERED = {Status.PLANNED, Status.RESOLVED, Status.DECLINED}
HIDDEN = {Status.SPAM, Status.DUPLICATE, Status.NOT_ELIGIBLE}
OPEN = {Status.NEW, Status.ASSIGNED, Status.IN_REVIEW}

NEED_TRANSITIONS: dict[str, set[str]] = {
    # A need can go straight to "planned" when the mayor puts it into the draft budget.
    Status.NEW: {Status.ASSIGNED, Status.PLANNED, *HIDDEN},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_REVIEW, *ANSWERED, *HIDDEN},
    Status.IN_REVIEW: {Status.ASSIGNED, *ANSWERED, *HIDDEN},
    Status.PLANNED: {Status.IN_REVIEW, Status.RESOLVED, Status.DECLINED},
    Status.RESOLVED: {Status.IN_REVIEW},
    Status.DECLINED: {Status.IN_REVIEW},
    Status.SPAM: {Status.NEW},
    Status.DUPLICATE: {Status.NEW},
    Status.NOT_ELIGIBLE: {Status.NEW},
}
EVALUATION_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_REVIEW, *HIDDEN},
    Status.IN_REVIEW: {Status.NEW, *HIDDEN},
    Status.SPAM: {Status.NEW},
    Status.DUPLICATE: {Status.NEW},
    Status.NOT_ELIGIBLE: {Status.NEW},
}
#: Changes a resident hears about by e-mail (when they left an address).
NOTIFY_RESIDENT = {Status.ASSIGNED, *ANSWERED}

LOG_ASSIGN = "feedback_forms.assign"
LOG_STATUS = "feedback_forms.status"
LOG_NOTE = "feedback_forms.note"
LOG_VIEW = "feedback_forms.view"


@dataclass(frozen=True)
class Change:
    submission: Need | Evaluation
    old_status: str
    new_status: str


def answer_due_days() -> int:
    return int(getattr(settings, "FEEDBACK_ANSWER_DUE_DAYS", 30))


def allowed_statuses(submission: Need | Evaluation) -> set[str]:
    table = NEED_TRANSITIONS if isinstance(submission, Need) else EVALUATION_TRANSITIONS
    return table.get(submission.status, set())


def validate_transition(
    submission: Need | Evaluation, new_status: str, public_answer: str | None = None
) -> None:
    """Refuse what the workflow does not allow, with a message staff understand."""
    if new_status == submission.status and new_status != Status.ASSIGNED:
        return
    if new_status not in allowed_statuses(submission):
        raise ValidationError(
            _("A submission that is “%(old)s” cannot become “%(new)s”.")
            % {"old": submission.get_status_display(), "new": Status(new_status).label},
            code="transition",
        )
    answer = submission.public_answer if public_answer is None else public_answer
    if new_status in ANSWERED and not (answer or "").strip():
        raise ValidationError(
            _("Write the public answer before marking the need “%(new)s”.")
            % {"new": Status(new_status).label},
            code="answer_required",
        )
    if new_status == Status.ASSIGNED and isinstance(submission, Need) and not submission.service_id:
        raise ValidationError(_("Choose the service to assign the need to."), code="no_service")


def validate_assignee(service, assignee) -> None:
    if assignee is not None and not service.representatives.filter(pk=assignee.pk).exists():
        raise ValidationError(
            _("%(person)s is not a representative of %(service)s.")
            % {"person": assignee.get_full_name() or assignee.get_username(), "service": service},
            code="assignee",
        )


@transaction.atomic
def assign(
    need: Need,
    *,
    service,
    by,
    assignee=None,
    due_date: datetime.date | None = None,
) -> Change:
    """Give a need to a City Hall service (Art. 4.3) with a due date for the answer."""
    validate_assignee(service, assignee)
    old_status = need.status
    need.service = service
    need.assignee = assignee
    need.due_date = due_date or timezone.localdate() + datetime.timedelta(days=answer_due_days())
    validate_transition(need, Status.ASSIGNED)
    need.status = Status.ASSIGNED
    need.save(update_fields=["service", "assignee", "due_date", "status", "updated_at"])
    log(
        instance=need,
        action=LOG_ASSIGN,
        user=by,
        data={
            "service": service.pk,
            "service_name": str(service),
            "assignee": assignee.pk if assignee else None,
            "due_date": need.due_date.isoformat(),
            "from": old_status,
        },
    )
    change = Change(need, old_status, Status.ASSIGNED)
    notify_resident(change)
    return change


@transaction.atomic
def change_status(
    submission: Need | Evaluation, new_status: str, *, by, public_answer: str | None = None
) -> Change:
    """Move a submission along the workflow; answering stamps the answer date."""
    validate_transition(submission, new_status, public_answer)
    old_status = submission.status
    fields = ["status", "updated_at"]
    if public_answer is not None and isinstance(submission, Need):
        submission.public_answer = public_answer.strip()
        fields.append("public_answer")
    if new_status in ANSWERED and old_status not in ANSWERED:
        submission.answered_at = timezone.now()
        fields.append("answered_at")
    submission.status = new_status
    submission.save(update_fields=fields)
    log(
        instance=submission,
        action=LOG_STATUS,
        user=by,
        data={"from": old_status, "to": new_status},
    )
    change = Change(submission, old_status, new_status)
    notify_resident(change)
    return change


def add_note(need: Need, text: str, *, by) -> NeedNote:
    """An internal note: staff only, never on the tracking page or in the API."""
    note = NeedNote.objects.create(need=need, author=by, text=text.strip())
    log(instance=need, action=LOG_NOTE, user=by, data={"note": note.pk})
    return note


def notify_resident(change: Change) -> None:
    """Queue the status e-mail after commit; a failing queue never undoes the change."""
    submission = change.submission
    if not isinstance(submission, Need) or not submission.contact_email:
        return
    if change.new_status not in NOTIFY_RESIDENT or change.new_status == change.old_status:
        return
    from feedback_forms.tasks import send_status_update

    def enqueue() -> None:
        try:
            send_status_update.enqueue(submission.pk)
        except Exception:  # noqa: BLE001 -- logged by the task framework; the change stands
            import logging

            logging.getLogger(__name__).exception("Could not queue the status e-mail")

    transaction.on_commit(enqueue)


def log_view(submission: Need | Evaluation, user) -> None:
    """Seeing a resident's submission is itself recorded (DESIGN.md, privacy)."""
    log(instance=submission, action=LOG_VIEW, user=user)
