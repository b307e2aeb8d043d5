"""The life of a need after it arrives (DESIGN.md "Workflow of a need").

new -> assigned (service, representative, due date) -> in review -> answered as planned,
resolved or declined (each with a public answer); spam, duplicate and not eligible are hidden
from reports. Every change is validated here, written to Wagtail's audit log with who and when,
put on the need's public timeline (`NeedUpdate`) when the resident can see it, and the resident
is told by e-mail when they left an address and the change is one they care about. Views, bulk
actions, the mayor's budget commitments (`set_public_state`) and tests all go through these
functions.
"""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from feedback_forms.models import HIDDEN_STATUSES, Evaluation, Need, NeedNote, NeedUpdate, Status
from programs.models import MunicipalService

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from feedback_forms.models import FixCheck

ANSWERED = {Status.PLANNED, Status.RESOLVED, Status.DECLINED}
OPEN = {Status.NEW, Status.ASSIGNED, Status.IN_REVIEW}

NEED_TRANSITIONS: dict[str, set[str]] = {
    # The mayor's budget commitments set a need's public state through `set_public_state`.
    Status.NEW: {Status.ASSIGNED, *HIDDEN_STATUSES},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_REVIEW, *ANSWERED, *HIDDEN_STATUSES},
    Status.IN_REVIEW: {Status.ASSIGNED, *ANSWERED, *HIDDEN_STATUSES},
    Status.PLANNED: {Status.IN_REVIEW, Status.RESOLVED, Status.DECLINED},
    Status.RESOLVED: {Status.IN_REVIEW},
    Status.DECLINED: {Status.IN_REVIEW},
    Status.SPAM: {Status.NEW},
    Status.DUPLICATE: {Status.NEW},
    Status.NOT_ELIGIBLE: {Status.NEW},
}
EVALUATION_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.IN_REVIEW, *HIDDEN_STATUSES},
    Status.IN_REVIEW: {Status.NEW, *HIDDEN_STATUSES},
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
LOG_PUBLIC_STATE = "feedback_forms.public_state"
LOG_FIX_CONFIRMED = "feedback_forms.fix_confirmed"
LOG_REOPENED = "feedback_forms.reopened_by_resident"


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


def validate_due_date(need: Need, due_date: datetime.date | None) -> None:
    """The answer cannot be due before the day the need was submitted (a database check too)."""
    submitted_on = need.submitted_on or (
        timezone.localdate(need.created_at) if need.created_at else None
    )
    if due_date is not None and submitted_on is not None and due_date < submitted_on:
        raise ValidationError(
            _("The answer cannot be due before the need was submitted (%(date)s).")
            % {"date": submitted_on.strftime("%d.%m.%Y")},
            code="due_before_submitted",
        )


def validate_answered_at(
    submission: Need | Evaluation, answered_at: datetime.datetime | None
) -> None:
    """An answer is never dated before the submission it answers (a database check too)."""
    if answered_at is not None and submission.created_at and answered_at < submission.created_at:
        raise ValidationError(
            _("An answer cannot be dated before the submission (%(date)s).")
            % {"date": timezone.localtime(submission.created_at).strftime("%d.%m.%Y %H:%M")},
            code="answered_before_submitted",
        )


def record_update(need: Need, message: str = "") -> NeedUpdate:
    """Put the need's current public state on its timeline, with an optional message in the
    resident's language."""
    return NeedUpdate.objects.create(need=need, status=need.status, message=message.strip())


def validate_assignee(service: MunicipalService, assignee: User | None) -> None:
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
    service: MunicipalService,
    by: User | None,
    assignee: User | None = None,
    due_date: datetime.date | None = None,
) -> Change:
    """Give a need to a City Hall service (Art. 4.3) with a due date for the answer."""
    validate_assignee(service, assignee)
    old_status = need.status
    need.service = service
    need.assignee = assignee
    need.due_date = due_date or timezone.localdate() + datetime.timedelta(days=answer_due_days())
    validate_due_date(need, need.due_date)
    validate_transition(need, Status.ASSIGNED)
    need.status = Status.ASSIGNED
    need.save(update_fields=["service", "assignee", "due_date", "status", "updated_at"])
    if old_status != Status.ASSIGNED:
        record_update(need)
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
    notify_service(need)
    return change


@transaction.atomic
def change_status(
    submission: Need | Evaluation,
    new_status: str,
    *,
    by: User | None,
    public_answer: str | None = None,
) -> Change:
    """Move a submission along the workflow; answering stamps the answer date."""
    validate_transition(submission, new_status, public_answer)
    old_status = submission.status
    old_answer = submission.public_answer
    fields = ["status", "updated_at"]
    if public_answer is not None and isinstance(submission, Need):
        submission.public_answer = public_answer.strip()
        fields.append("public_answer")
    if new_status in ANSWERED and old_status not in ANSWERED:
        answered_at = timezone.now()
        validate_answered_at(submission, answered_at)
        submission.answered_at = answered_at
        fields.append("answered_at")
    submission.status = new_status
    submission.save(update_fields=fields)
    answer_changed = submission.public_answer != old_answer
    if isinstance(submission, Need) and (new_status != old_status or answer_changed):
        newly_answered = new_status in ANSWERED and (old_status not in ANSWERED or answer_changed)
        record_update(submission, submission.public_answer if newly_answered else "")
    log(
        instance=submission,
        action=LOG_STATUS,
        user=by,
        data={"from": old_status, "to": new_status},
    )
    change = Change(submission, old_status, new_status)
    notify_resident(change)
    return change


@transaction.atomic
def set_public_state(
    need: Need,
    *,
    status: str,
    public_answer: str,
    message: str,
    by: User | None,
    answered_at: datetime.datetime | None = None,
    restore: bool = False,
    data: dict | None = None,
) -> Change:
    """Set what the public sees of a need as a whole, for a decision taken outside the service's
    workflow: the mayor's budget commitment (reports.workflow).

    The service's transition table does not apply (a commitment may reopen a declined need, or
    return it to where it stood), but the rules that keep the record true do: never a hidden
    status, no answered status without an answer, no answer dated before the submission. With
    `restore`, `answered_at` is put back as given (None: the need is open again); otherwise an
    answer is stamped now when the need becomes answered. The change is logged, put on the
    timeline with `message` (in the resident's language) and the resident is told.
    """
    if status in HIDDEN_STATUSES or need.status in HIDDEN_STATUSES:
        raise ValidationError(
            _("A need marked “%(status)s” is not part of the public record.")
            % {"status": Status(need.status if need.status in HIDDEN_STATUSES else status).label},
            code="hidden",
        )
    if status in ANSWERED and not public_answer.strip():
        raise ValidationError(
            _("Write the public answer before marking the need “%(new)s”.")
            % {"new": Status(status).label},
            code="answer_required",
        )
    old_status = need.status
    if restore:
        need.answered_at = answered_at
    elif status in ANSWERED and old_status not in ANSWERED:
        need.answered_at = timezone.now()
    validate_answered_at(need, need.answered_at)
    need.status = status
    need.public_answer = public_answer.strip()
    need.save(update_fields=["status", "public_answer", "answered_at", "updated_at"])
    log(
        instance=need,
        action=LOG_PUBLIC_STATE,
        user=by,
        data={"from": old_status, "to": status, "restored": restore, **(data or {})},
    )
    record_update(need, message)
    change = Change(need, old_status, status)
    notify_resident(change, always=True)
    return change


@transaction.atomic
def tell_resident(
    need: Need, message: str, *, by: User | None, data: dict | None = None
) -> NeedUpdate:
    """Put a message on the need's public timeline without changing its state, and tell the
    resident (a decision that concerns the need but leaves the service's answer standing)."""
    need.save(update_fields=["updated_at"])
    log(
        instance=need,
        action=LOG_PUBLIC_STATE,
        user=by,
        data={"from": need.status, "to": need.status, "restored": False, **(data or {})},
    )
    update = record_update(need, message)
    notify_resident(Change(need, need.status, need.status), always=True)
    return update


def add_note(need: Need, text: str, *, by: User) -> NeedNote:
    """An internal note: staff only, never on the tracking page or in the API."""
    note = NeedNote.objects.create(need=need, author=by, text=text.strip())
    log(instance=need, action=LOG_NOTE, user=by, data={"note": note.pk})
    return note


def notify_resident(change: Change, *, always: bool = False) -> None:
    """Queue the status e-mail after commit; a failing queue never undoes the change.

    `always`: a decision the resident must hear about whatever the status (the mayor's budget
    commitment put the need under consideration, or dropped it)."""
    submission = change.submission
    if not isinstance(submission, Need):
        return
    if not always and (
        change.new_status not in NOTIFY_RESIDENT or change.new_status == change.old_status
    ):
        return
    if submission.contact_phone and submission.status in ANSWERED:
        from feedback_forms.sms_messages import queue_answer_sms

        transaction.on_commit(lambda: queue_answer_sms(submission))
    if not submission.contact_email:
        return
    from feedback_forms.tasks import send_status_update

    def enqueue() -> None:
        try:
            send_status_update.enqueue(submission.pk)
        except Exception:  # noqa: BLE001 -- logged by the task framework; the change stands
            import logging

            logging.getLogger(__name__).exception("Could not queue the status e-mail")

    transaction.on_commit(enqueue)


def notify_service(need: Need) -> None:
    """Queue the assignment e-mail to the service's representatives after commit."""
    from feedback_forms.tasks import notify_assignment

    def enqueue() -> None:
        try:
            notify_assignment.enqueue(need.pk)
        except Exception:  # noqa: BLE001 -- the assignment stands; the digest lists it
            import logging

            logging.getLogger(__name__).exception("Could not queue the assignment e-mail")

    transaction.on_commit(enqueue)


def resident_text(need: Need, message: "StrOrPromise") -> str:
    """A fixed sentence in the resident's language (the timeline speaks to them)."""
    with translation.override(need.language if need.language in {"ka", "en"} else "ka"):
        return str(message)


def record_fix_confirmed(need: Need, check: "FixCheck") -> NeedUpdate:
    """The resident answered "yes, it is fixed": on the public timeline and in the audit log."""
    update = record_update(
        need, resident_text(need, _("The resident confirmed that the problem is fixed."))
    )
    log(instance=need, action=LOG_FIX_CONFIRMED, user=None, data={"check": check.pk})
    return update


def reopen_after_follow_up(need: Need, reason: str, *, check: "FixCheck") -> bool:
    """The resident answered "no, it is not fixed": the need goes back to its service "in
    review" with a fresh due date, the resident's words on its public timeline. A need that is
    no longer resolved (the service moved it meanwhile) keeps its state; the words are kept
    on the check and in the log. Returns whether the need was reopened."""
    old_status = need.status
    if Status.IN_REVIEW not in allowed_statuses(need) or old_status != Status.RESOLVED:
        log(
            instance=need,
            action=LOG_REOPENED,
            user=None,
            data={"check": check.pk, "from": old_status, "to": old_status},
        )
        return False
    validate_transition(need, Status.IN_REVIEW)
    need.status = Status.IN_REVIEW
    fresh_due = timezone.localdate() + datetime.timedelta(days=answer_due_days())
    if need.due_date is None or need.due_date < fresh_due:
        need.due_date = fresh_due
    need.save(update_fields=["status", "due_date", "updated_at"])
    heading = resident_text(need, _("The resident says the problem is not fixed:"))
    record_update(need, f"{heading}\n{reason}")
    log(
        instance=need,
        action=LOG_REOPENED,
        user=None,
        data={"check": check.pk, "from": old_status, "to": Status.IN_REVIEW},
    )
    return True


def log_view(submission: Need | Evaluation, user: User) -> None:
    """Seeing a resident's submission is itself recorded (DESIGN.md, privacy)."""
    log(instance=submission, action=LOG_VIEW, user=user)
