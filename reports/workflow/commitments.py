"""The mayor's budget commitments (Art. 4.7), which link residents' needs.

What a linked need's author is told follows the commitment's status and never promises more:
proposed -> under consideration, in the draft budget, adopted, implemented -> resolved;
dropped -> the need returns to where it stood before it was linked, with the mayor's reason.
Every step is logged, on the need's public timeline, and told to the resident in their own
language.
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from feedback_forms import workflow as needs_workflow
from feedback_forms.models import HIDDEN_STATUSES, Need, Status
from reports.models import BudgetCommitment, CommitmentNeed, CommitmentProgressNote
from reports.workflow.access import (
    DECIDE_PERMISSION,
    LOG_COMMITMENT,
    LOG_COMMITMENT_STATUS,
    LOG_UNLINK,
    require,
)

Commitment = BudgetCommitment.Status
COMMITMENT_TRANSITIONS: dict[str, set[str]] = {
    Commitment.PROPOSED: {Commitment.IN_DRAFT_BUDGET, Commitment.DROPPED},
    # A draft budget can still change before the council adopts it.
    Commitment.IN_DRAFT_BUDGET: {Commitment.PROPOSED, Commitment.ADOPTED, Commitment.DROPPED},
    Commitment.ADOPTED: {Commitment.IMPLEMENTED, Commitment.DROPPED},
    Commitment.IMPLEMENTED: set(),
    Commitment.DROPPED: set(),
}
#: How far along the budget a commitment is: a need linked to several follows the furthest.
PROGRESS: list[str] = [
    Commitment.PROPOSED,
    Commitment.IN_DRAFT_BUDGET,
    Commitment.ADOPTED,
    Commitment.IMPLEMENTED,
]
#: The status a linked need takes while its commitment is in each (not dropped) status.
NEED_STATUS_FOR: dict[str, str] = {
    Commitment.PROPOSED: Status.IN_REVIEW,
    Commitment.IN_DRAFT_BUDGET: Status.PLANNED,
    Commitment.ADOPTED: Status.PLANNED,
    Commitment.IMPLEMENTED: Status.RESOLVED,
}


# --- What a linked need's author is told ------------------------------------------------------


def in_language(commitment: BudgetCommitment, name: str, language: str) -> str:
    """A commitment's text in the resident's language (English for an English submission,
    when written), Georgian otherwise."""
    english = getattr(commitment, f"{name}_en", "") if language == "en" else ""
    return english or getattr(commitment, f"{name}_ka", "")


def resident_language(need: Need) -> str:
    return "en" if need.language == "en" else "ka"


def commitment_answer(commitment: BudgetCommitment, language: str = "ka") -> str:
    """The public answer a linked need carries while its commitment is in its status."""
    values = {"year": commitment.budget_year, "title": in_language(commitment, "title", language)}
    with translation.override(language):
        texts: dict[str, str] = {
            Commitment.PROPOSED: gettext(
                "Under consideration for the %(year)s draft budget: the mayor proposed "
                "“%(title)s”. No decision on its funding has been taken yet."
            ),
            Commitment.IN_DRAFT_BUDGET: gettext(
                "In the %(year)s draft budget: the mayor included “%(title)s” in the draft "
                "budget. The municipal council has not adopted the budget yet."
            ),
            Commitment.ADOPTED: gettext(
                "In the adopted %(year)s budget: “%(title)s” is funded in the budget the "
                "municipal council adopted."
            ),
            Commitment.IMPLEMENTED: gettext(
                "Resolved: “%(title)s” was carried out with the %(year)s budget."
            ),
        }
        return texts[commitment.status] % values


def dropped_message(commitment: BudgetCommitment, language: str = "ka") -> str:
    values = {
        "year": commitment.budget_year,
        "title": in_language(commitment, "title", language),
        "reason": in_language(commitment, "dropped_reason", language),
    }
    with translation.override(language):
        return (
            gettext(
                "The mayor dropped “%(title)s”: it will not be funded in the %(year)s budget. "
                "The mayor's reason: %(reason)s"
            )
            % values
        )


def unlinked_message(commitment: BudgetCommitment, language: str = "ka") -> str:
    values = {"title": in_language(commitment, "title", language)}
    with translation.override(language):
        return gettext("This need is no longer part of the mayor's commitment “%(title)s”.") % (
            values
        )


def follow_commitments(
    need: Need, *, by: User | None, message: str = "", history: list[CommitmentNeed] | None = None
) -> None:
    """Bring a linked need's public state in line with its commitments.

    With an active (not dropped) commitment, the need takes the state of the furthest one.
    With none left, it returns to where it stood before it was first linked, provided it still
    shows what a commitment told its author (a service's later answer is never undone); either
    way `message` (the mayor's reason) goes on its timeline. `history` holds the links as they
    were before a link was removed."""
    if need.status in HIDDEN_STATUSES:
        return
    links = list(need.commitment_links.select_related("commitment").order_by("linked_at", "pk"))
    history = history if history is not None else links
    active = [link for link in links if link.commitment.status != Commitment.DROPPED]
    language = resident_language(need)
    if active:
        lead = max(active, key=lambda link: (PROGRESS.index(link.commitment.status), link.pk))
        status = NEED_STATUS_FOR[lead.commitment.status]
        answer = commitment_answer(lead.commitment, language)
        if (need.status, need.public_answer) != (status, answer):
            needs_workflow.set_public_state(
                need,
                status=status,
                public_answer=answer,
                message="\n\n".join(part for part in (message, answer) if part),
                by=by,
                data={"commitment": lead.commitment_id},
            )
        elif message:
            needs_workflow.tell_resident(need, message, by=by)
        if (lead.applied_status, lead.applied_answer) != (status, answer):
            lead.applied_status, lead.applied_answer = status, answer
            lead.save(update_fields=["applied_status", "applied_answer"])
        return
    shows_commitment = any(
        link.applied_status
        and (link.applied_status, link.applied_answer) == (need.status, need.public_answer)
        for link in history
    )
    origin = history[0] if history else None
    if shows_commitment and origin is not None and origin.status_before:
        needs_workflow.set_public_state(
            need,
            status=origin.status_before,
            public_answer=origin.answer_before,
            answered_at=origin.answered_at_before,
            restore=True,
            message=message,
            by=by,
        )
    elif message:
        needs_workflow.tell_resident(need, message, by=by)


def validate_linkable(commitment: BudgetCommitment, needs: list[Need]) -> None:
    if commitment.status == Commitment.DROPPED and needs:
        raise ValidationError(
            _("A dropped commitment cannot take new needs."), code="dropped_commitment"
        )
    hidden = sorted(need.reference for need in needs if need.status in HIDDEN_STATUSES)
    if hidden:
        raise ValidationError(
            _(
                "These needs are marked spam, duplicate or not eligible and cannot be linked: "
                "%(refs)s"
            )
            % {"refs": ", ".join(hidden)},
            code="hidden_need",
        )


@transaction.atomic
def link_needs(commitment: BudgetCommitment, needs: list[Need], *, by: User | None) -> list[Need]:
    """Link needs to the commitment: each remembers where it stood, then takes the state of
    the commitment's status. Returns the needs that were newly linked."""
    validate_linkable(commitment, needs)
    linked = []
    for need in needs:
        _link, created = CommitmentNeed.objects.get_or_create(
            commitment=commitment,
            need=need,
            defaults={
                "linked_at": timezone.now(),
                "status_before": need.status,
                "answer_before": need.public_answer,
                "answered_at_before": need.answered_at,
            },
        )
        if created:
            follow_commitments(need, by=by)
            linked.append(need)
    log(
        instance=commitment,
        action=LOG_COMMITMENT,
        user=by,
        data={"linked": [need.reference for need in linked], "status": commitment.status},
    )
    return linked


@transaction.atomic
def unlink_needs(commitment: BudgetCommitment, needs: list[Need], *, by: User) -> list[Need]:
    """Remove needs from the commitment; each follows its other commitments, or returns to
    where it stood before, and its author is told."""
    removed = []
    for need in needs:
        history = list(need.commitment_links.order_by("linked_at", "pk"))
        if not any(link.commitment_id == commitment.pk for link in history):
            continue
        CommitmentNeed.objects.filter(commitment=commitment, need=need).delete()
        follow_commitments(
            need,
            by=by,
            message=unlinked_message(commitment, resident_language(need)),
            history=history,
        )
        removed.append(need)
    if removed:
        log(
            instance=commitment,
            action=LOG_UNLINK,
            user=by,
            data={"unlinked": [need.reference for need in removed]},
        )
    return removed


def allowed_commitment_statuses(commitment: BudgetCommitment) -> set[str]:
    return COMMITMENT_TRANSITIONS.get(commitment.status, set())


def validate_commitment_status(
    commitment: BudgetCommitment, new_status: str, *, reason_ka: str = ""
) -> None:
    if new_status == commitment.status:
        return
    if new_status not in allowed_commitment_statuses(commitment):
        raise ValidationError(
            _("A commitment that is “%(old)s” cannot become “%(new)s”.")
            % {"old": commitment.get_status_display(), "new": Commitment(new_status).label},
            code="commitment_transition",
        )
    if new_status == Commitment.DROPPED and not reason_ka.strip():
        raise ValidationError(
            _("Write the mayor's reason for dropping the commitment (in Georgian at least)."),
            code="no_reason",
        )


def apply_commitment_status(
    commitment: BudgetCommitment,
    new_status: str,
    *,
    by: User | None,
    reason_ka: str = "",
    reason_en: str = "",
) -> BudgetCommitment:
    """The status change itself (validated, logged, followed by every linked need); callers
    check the permission (`change_commitment_status`)."""
    validate_commitment_status(commitment, new_status, reason_ka=reason_ka)
    old_status = commitment.status
    if new_status == old_status:
        return commitment
    commitment.status = new_status
    fields = ["status", "updated_at"]
    if new_status == Commitment.DROPPED:
        commitment.dropped_reason_ka = reason_ka.strip()
        commitment.dropped_reason_en = reason_en.strip()
        fields += ["dropped_reason_ka", "dropped_reason_en"]
    commitment.save(update_fields=fields)
    log(
        instance=commitment,
        action=LOG_COMMITMENT_STATUS,
        user=by,
        data={
            "from": old_status,
            "to": new_status,
            "reason_ka": commitment.dropped_reason_ka if new_status == Commitment.DROPPED else "",
        },
    )
    for need in Need.objects.filter(commitment_links__commitment=commitment).order_by("pk"):
        message = (
            dropped_message(commitment, resident_language(need))
            if new_status == Commitment.DROPPED
            else ""
        )
        follow_commitments(need, by=by, message=message)
    return commitment


@transaction.atomic
def change_commitment_status(
    commitment: BudgetCommitment,
    new_status: str,
    *,
    by: User,
    reason_ka: str = "",
    reason_en: str = "",
) -> BudgetCommitment:
    """The mayor's decision on a commitment (Art. 4.7): the only way its status changes."""
    require(by, DECIDE_PERMISSION)
    return apply_commitment_status(
        commitment, new_status, by=by, reason_ka=reason_ka, reason_en=reason_en
    )


def add_progress_note(
    commitment: BudgetCommitment,
    *,
    by: User,
    text_ka: str,
    text_en: str = "",
    noted_on: datetime.date | None = None,
) -> CommitmentProgressNote:
    return CommitmentProgressNote.objects.create(
        commitment=commitment,
        author=by,
        text_ka=text_ka.strip(),
        text_en=text_en.strip(),
        noted_on=noted_on or timezone.localdate(),
    )
