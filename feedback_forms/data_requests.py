"""Answering a resident's access or erasure request (docs/data-protection.md, section 4).

The platform holds no names: a person is found by their personal number (its keyed hash is
what every table stores), or by the e-mail address or mobile number they left. Only staff with
`DATA_REQUESTS_PERMISSION` (the data protection officer's account) may look a person up, since
the look-up itself tells whether someone evaluated a program or is on its beneficiary list.
Every submission found gets an entry in its history, and every look-up a line in the
application log, never the number or the contact itself.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from cms.core.personal_numbers import PersonalNumberDigest
from feedback_forms.models import Evaluation, Need
from feedback_forms.retention import LOG_ANONYMISE
from programs.models import BeneficiaryRecord, Invitation

DATA_REQUESTS_PERMISSION = "feedback_forms.answer_data_requests"
LOG_FOUND = "feedback_forms.data_request_found"

logger = logging.getLogger(__name__)

Staff = AbstractBaseUser | AnonymousUser


@dataclass
class Person:
    """How the person is identified: any of the three, at least one."""

    digest: PersonalNumberDigest | None = None
    email: str = ""
    phone: str = ""  # E.164, as stored

    def matches(self) -> Q:
        """Rows of a submission table that belong to this person."""
        condition = Q(pk__in=[])
        if self.digest is not None:
            condition |= Q(person_digest=self.digest.digest, key_version=self.digest.key_version)
        if self.email:
            condition |= Q(contact_email__iexact=self.email)
        if self.phone:
            condition |= Q(contact_phone=self.phone)
        return condition


@dataclass
class Found:
    """Everything the platform keeps that the person can be found by."""

    evaluations: list[Evaluation] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    beneficiary_records: list[BeneficiaryRecord] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def submissions(self) -> list[Evaluation | Need]:
        return [*self.evaluations, *self.needs]

    @property
    def total(self) -> int:
        return (
            len(self.evaluations)
            + len(self.needs)
            + len(self.beneficiary_records)
            + len(self.invitations)
        )


def submissions_of(model: type[Evaluation] | type[Need], person: Person) -> QuerySet:
    return (
        model.objects.filter(person.matches())
        .select_related("service")
        .order_by("created_at", "pk")
    )


def find_person(person: Person, *, by: Staff) -> Found:
    """Look the person up everywhere, and note the look-up in each submission's history."""
    found = Found(
        evaluations=list(submissions_of(Evaluation, person).select_related("program")),
        needs=list(submissions_of(Need, person)),
    )
    if person.digest is not None:
        same_person = Q(person_digest=person.digest.digest, key_version=person.digest.key_version)
        found.beneficiary_records = list(
            BeneficiaryRecord.objects.filter(same_person)
            .select_related("program")
            .order_by("served_on", "pk")
        )
    found.invitations = list(
        Invitation.objects.filter(person.matches())
        .select_related("program")
        .order_by("created_at", "pk")
    )
    user = by if by.is_authenticated else None
    for submission in found.submissions:
        log(instance=submission, action=LOG_FOUND, user=user)
    logger.info(
        "Data request look-up by user %s (by %s): %d submissions, %d list entries, %d invitations",
        getattr(by, "pk", None),
        ", ".join(kind for kind, given in person_keys(person) if given),
        len(found.submissions),
        len(found.beneficiary_records),
        len(found.invitations),
    )
    return found


def person_keys(person: Person) -> list[tuple[str, bool]]:
    return [
        ("personal number", person.digest is not None),
        ("e-mail", bool(person.email)),
        ("phone", bool(person.phone)),
    ]


def erase_contacts(submissions: list[Evaluation | Need], *, by: Staff) -> int:
    """Erase the e-mail and phone of these submissions now, as the retention job does later;
    returns how many had a contact. The submission itself stays (the rule's record)."""
    erased = 0
    user = by if by.is_authenticated else None
    for submission in submissions:
        if not (submission.contact_email or submission.contact_phone):
            continue
        submission.contact_email = ""
        submission.contact_phone = ""
        submission.save(update_fields=["contact_email", "contact_phone", "updated_at"])
        log(instance=submission, action=LOG_ANONYMISE, user=user, data={"reason": "request"})
        erased += 1
    return erased


def erase_invitation_contacts(invitations: list[Invitation]) -> int:
    """The invitation's contact goes too; its code (hashed) and program stay."""
    erased = 0
    for invitation in invitations:
        if not (invitation.contact_email or invitation.contact_phone):
            continue
        invitation.contact_email = ""
        invitation.contact_phone = ""
        invitation.contact_erased_at = timezone.now()
        invitation.save(update_fields=["contact_email", "contact_phone", "contact_erased_at"])
        erased += 1
    return erased


def selected(found: Found, keys: list[str]) -> list[Evaluation | Need]:
    """The person's submissions whose `kind:pk` key was ticked: a key of anyone else's
    submission is ignored, so an erasure never reaches beyond the person looked up."""
    wanted = set(keys)
    return [
        submission
        for submission in found.submissions
        if f"{submission_kind(submission)}:{submission.pk}" in wanted
    ]


def submission_kind(submission: Evaluation | Need) -> str:
    return "evaluation" if isinstance(submission, Evaluation) else "need"
