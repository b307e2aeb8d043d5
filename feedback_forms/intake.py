"""Turning a validated form into a stored submission, exactly once.

Web journey, staff entry and API all end here. A retried request with the same idempotency key
returns the first submission. This is also the only place that looks at who a personal number
belongs to, after the form (consent included) is valid:

- on the program's beneficiary list -> ``verified``; when the form requires the list and the
  number is not on it, the evaluation is kept, "not eligible" until the responsible service
  has checked it (``Outcome.AWAITING_VERIFICATION``), so it never counts in a rating unchecked;
- already evaluated the program this half-year -> the public channels keep the new evaluation
  as a *repeat* of the first (status "duplicate", hidden from reports, ``Outcome.REPEAT``);
  staff entry is refused with `DuplicateEvaluation`. One evaluation per person, program and
  period counts, by a conditional unique constraint, even when two requests race.
"""

import datetime
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from feedback_forms.fields import OTHER_PLACE
from feedback_forms.forms import EvaluationForm, SystemQuestionsForm
from feedback_forms.models import LOW_RATING, Channel, Evaluation, Need, Status
from feedback_forms.querysets import EvaluationFacts, evaluation_facts, quoted_column
from feedback_forms.references import new_reference
from feedback_forms.sms_messages import queue_receipt_sms
from feedback_forms.tasks import alert_low_rating, send_submission_receipt

logger = logging.getLogger(__name__)
REFERENCE_ATTEMPTS = 5


class DuplicateEvaluation(Exception):
    """The person already evaluated this program in this reporting period."""


class Outcome(enum.StrEnum):
    """How a stored submission counts; told to its sender only (README, "No oracle")."""

    COUNTED = "counted"
    REPEAT = "repeat"
    AWAITING_VERIFICATION = "awaiting_verification"


@dataclass(frozen=True)
class IntakeResult:
    submission: Evaluation | Need
    created: bool

    @property
    def outcome(self) -> Outcome:
        return outcome_of(self.submission)


def outcome_of(submission: Evaluation | Need) -> Outcome:
    """What the intake decided for a submission, read back from its columns."""
    if isinstance(submission, Evaluation):
        if submission.repeat_of_id is not None:
            return Outcome.REPEAT
        if submission.status == Status.NOT_ELIGIBLE and not submission.verified:
            return Outcome.AWAITING_VERIFICATION
    return Outcome.COUNTED


def find_by_idempotency_key(key: str | None) -> Evaluation | Need | None:
    """The submission a key stored, of either kind: a key reused for the other kind is found
    too (and refused by the caller). One statement over both tables, since on every new
    submission, the usual case, it finds nothing; a found one is then loaded. Written as SQL:
    the ORM's union cost more to compile than to run, on every submission (bench/README.md)."""
    if not key:
        return None
    quote = connection.ops.quote_name
    kinds: dict[str, type[Evaluation] | type[Need]] = {"evaluation": Evaluation, "need": Need}
    selects = [
        f"SELECT '{kind}', {quoted_column(model, 'id')} FROM {quote(model._meta.db_table)}"  # noqa: S608
        f" WHERE {quoted_column(model, 'idempotency_key')} = %s"
        for kind, model in kinds.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), [key, key])  # names only, the key a parameter
        hit = cursor.fetchone()
    if hit is None:
        return None
    kind, pk = hit
    return kinds[kind].objects.filter(pk=pk).first()


def received_at(submitted_on: datetime.date) -> datetime.datetime:
    """When a submission counts as received: now, or, for an earlier day (a paper form staff
    enter later, or a Send pressed just before midnight), the last moment of that day in
    Tbilisi, so the time is never in the future and never on another day than its date."""
    now = timezone.now()
    if submitted_on >= timezone.localdate(now):
        return now
    end_of_day = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time.max))
    return min(now, end_of_day)


def common_values(
    form: SystemQuestionsForm, channel: str, entered_by: User | None, idempotency_key: str | None
) -> dict:
    data = form.cleaned_data
    return {
        "created_at": received_at(form.submitted_on),
        "submitted_on": form.submitted_on,
        "idempotency_key": idempotency_key or None,
        "channel": channel,
        "entered_by": entered_by if channel != Channel.ONLINE else None,
        "language": (get_language() or "ka")[:2],
        "reporting_period": form.reporting_period,
        "budget_year": form.submitted_on.year,
        "person_digest": form.person.digest,
        "key_version": form.person.key_version,
        "birth_year": data["birth_date"].year,
        "is_adult": True,
        "contact_email": data.get("contact_email", ""),
        "contact_phone": data.get("contact_phone", ""),
        "answers": form.extra_answers(),
        "questions": form.page.get_questions() if form.page else {},
        "form_page": form.page.canonical_form if form.page else None,
    }


def build_submission(
    form: SystemQuestionsForm, values: dict
) -> tuple[Evaluation | Need, EvaluationFacts | None]:
    """The unsaved submission; for an evaluation, with what the list and the earlier
    evaluations say of its person (read in the same statement as the program)."""
    data = form.cleaned_data
    if isinstance(form, EvaluationForm):
        if form.page is None:  # evaluations are always entered through a program's form
            raise ValueError("An evaluation needs the form page of its program.")
        facts = evaluation_facts(
            form.page.get_parent(),
            values["person_digest"],
            values["key_version"],
            values["reporting_period"],
        )
        if facts is None:
            raise ValueError("An evaluation form must be a program's child.")
        evaluation = Evaluation(
            **values,
            program=facts.program,
            program_title=facts.program.title,
            # ids: no query for rows the insert only points to
            category_id=facts.program.category_id,
            service_id=facts.program.responsible_service_id,
            overall_rating=data["overall_rating"],
            used_on=data["used_on"],
        )
        return evaluation, facts
    parent = form.page.get_parent() if form.page else None
    # Only a program's own needs form points to a program: no other parent is made specific.
    program = None
    if parent is not None and hasattr(parent.specific_class, "canonical_program"):
        program = parent.specific.canonical_program
    need = Need(
        **values,
        title=data["title"],
        description=data["description"],
        category=data["category"],
        administrative_unit=data["administrative_unit"],
        settlement=None if data["settlement"] == OTHER_PLACE else data["settlement"],
        other_place=data.get("other_place", "") if data["settlement"] == OTHER_PLACE else "",
        program=program,
    )
    return need, None


def submit(
    form: SystemQuestionsForm,
    *,
    channel: str = Channel.ONLINE,
    entered_by: User | None = None,
    idempotency_key: str | None = None,
    keep_repeats: bool = False,
    key_looked_up: bool = False,
    ran: Callable[[str], None] = lambda step: None,
    first_in_transaction: Callable[[], None] | None = None,
) -> IntakeResult:
    """Store a valid form's submission once and queue the receipt e-mail after commit.

    ``keep_repeats`` (the public channels) keeps a person's second evaluation of a program
    in a period as a repeat of the first; without it (staff entry) `DuplicateEvaluation` is
    raised so the staff member can tell the resident at once.

    ``key_looked_up``: the caller has just looked the key up in this request and found
    nothing, so it is not looked up again; a retry stored meanwhile still makes the insert
    fail on the unique key, and is then returned below.

    ``ran`` is told each guard decided here ("eligibility", "duplicate", "notify" on commit:
    `feedback_forms.pipeline`).

    ``first_in_transaction`` runs first in the insert's transaction, every time it is tried
    (the web journey spends its page's time-trap token there): called outside a transaction,
    the insert's is the outermost and needs no savepoint (two statements fewer), and what it
    spends is rolled back with a lost race and spent again by the retry.
    """
    if not key_looked_up:
        existing = find_by_idempotency_key(idempotency_key)
        if existing is not None:
            return IntakeResult(existing, created=False)
    values = common_values(form, channel, entered_by, idempotency_key)
    submission, facts = build_submission(form, values)
    if isinstance(submission, Evaluation):
        if facts is None:  # build_submission reads them for every evaluation
            raise ValueError("An evaluation is built with what its program's list says.")
        check_beneficiary_list(submission, form, on_list=facts.on_list)
        ran("eligibility")
    for attempt in range(REFERENCE_ATTEMPTS * 2):
        if isinstance(submission, Evaluation) and submission.repeat_of_id is None:
            if attempt == 0 and facts is not None:
                first_id = facts.counted_id  # read with the program, a moment ago
            else:
                first = counted_evaluation(submission)
                first_id = first.pk if first is not None else None
            ran("duplicate")
            if first_id is not None:
                if not keep_repeats:
                    raise DuplicateEvaluation
                mark_repeat(submission, first_id)
        submission.reference = new_reference()
        try:
            with transaction.atomic():
                if first_in_transaction is not None:
                    first_in_transaction()
                spend_invitation(submission)
                save_with_references(submission)
                attach_photo(submission, form)
        except IntegrityError:
            existing = find_by_idempotency_key(idempotency_key)
            if existing is not None:
                return IntakeResult(existing, created=False)
            if type(submission).objects.filter(reference=submission.reference).exists():
                continue  # a reference collision: draw another code
            if isinstance(submission, Evaluation) and counted_evaluation(submission) is not None:
                continue  # lost a race with the same person's other evaluation: a repeat
            raise
        transaction.on_commit(lambda: notify(submission, ran))
        return IntakeResult(submission, created=True)
    raise RuntimeError("Could not draw a free reference code.")


def notify(submission: Evaluation | Need, ran: Callable[[str], None]) -> None:
    ran("notify")
    queue_receipt(submission)


def save_with_references(submission: Evaluation | Need) -> None:
    """Insert the submission and its rows in Wagtail's reference index in one go.

    Wagtail's save signal would queue a task that reads the row back by its id and opens a
    savepoint of its own (three more statements, inline with the immediate task backend);
    the index is written from the instance in hand instead, in the insert's transaction, so
    "Usage" and the protection of a settlement or category in use are exactly as before.
    """
    with disable_reference_index_auto_update():
        submission.save()
    ReferenceIndex.create_or_update_for_object(submission)


def attach_photo(submission: Evaluation | Need, form: SystemQuestionsForm) -> None:
    """The photo kept on Continue (its token came back with Send) now belongs to the need."""
    token = getattr(form, "cleaned_data", {}).get("photo_token")
    if isinstance(submission, Need) and token:
        from feedback_forms.photos import attach

        attach(token, submission)


class InvitationSpent(Exception):
    """The invitation's code was used by another submission meanwhile."""


def spend_invitation(submission: Evaluation | Need) -> None:
    """An invitation's code works once: spent in the transaction that stores the evaluation."""
    from programs.invitations import mark_used

    invitation = getattr(submission, "invitation", None)
    if invitation is not None and not mark_used(invitation):
        raise InvitationSpent


def check_beneficiary_list(
    evaluation: Evaluation, form: SystemQuestionsForm, *, on_list: bool
) -> None:
    """Mark an evaluation verified when the person is on the program's beneficiary list
    (``on_list``, read with the program by `evaluation_facts`); on a form that requires the
    list, an unlisted person's evaluation waits for the service."""
    invitation = getattr(form, "invitation", None)
    if invitation is not None:
        evaluation.invitation = invitation  # the code proves the list membership
        evaluation.verified = True
        return
    evaluation.verified = on_list
    canonical = form.page.canonical_form if form.page else None
    requires_list = getattr(canonical, "requires_verification", False)
    if requires_list and not evaluation.verified:
        evaluation.status = Status.NOT_ELIGIBLE


def counted_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The same person's evaluation of the program in the period that counts, if any."""
    return (
        Evaluation.objects.filter(
            program=evaluation.program,
            person_digest=evaluation.person_digest,
            key_version=evaluation.key_version,
            reporting_period=evaluation.reporting_period,
            repeat_of__isnull=True,
        )
        .exclude(pk=evaluation.pk)
        .first()
    )


def mark_repeat(evaluation: Evaluation, first_id: int) -> None:
    """Keep a second evaluation without counting it: hidden from reports, linked to the first."""
    evaluation.repeat_of_id = first_id
    evaluation.status = Status.DUPLICATE


def queue_receipt(submission: Evaluation | Need) -> None:
    """Queue the resident's receipt and, for a counted rating of 1-2, the service's alert. A queue that
    refuses work is logged; the submission is already stored either way."""
    kind = "evaluation" if isinstance(submission, Evaluation) else "need"
    queue_receipt_sms(submission)
    try:
        if submission.contact_email:
            send_submission_receipt.enqueue(kind, submission.pk)
        counted = outcome_of(submission) is Outcome.COUNTED
        if (
            isinstance(submission, Evaluation)
            and counted
            and submission.overall_rating <= LOW_RATING
        ):
            alert_low_rating.enqueue(submission.pk)  # repeats and unchecked ones do not alert
    except Exception:  # noqa: BLE001 -- the submission is already safe; only an e-mail is lost
        logger.exception("Could not queue the e-mails for %s", submission.reference)
