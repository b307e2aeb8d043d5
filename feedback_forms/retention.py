"""Retention (DESIGN.md, privacy): contact details are kept only as long as an answer may be
needed. After FEEDBACK_CONTACT_RETENTION_DAYS past a need's answer (or a closed submission's
last change) the e-mail and phone are erased; the submission itself stays for the reports."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.log_actions import log

from feedback_forms.models import HIDDEN_STATUSES, Evaluation, Need
from feedback_forms.workflow import ANSWERED

LOG_ANONYMISE = "feedback_forms.anonymise"


def retention_days() -> int:
    return int(getattr(settings, "FEEDBACK_CONTACT_RETENTION_DAYS", 180))


def with_contacts(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(contact_email="", contact_phone="")


def expired_contacts(now: datetime.datetime | None = None) -> dict[str, QuerySet]:
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    closed_needs = Q(status__in=ANSWERED, answered_at__lt=cutoff) | Q(
        status__in=HIDDEN_STATUSES, updated_at__lt=cutoff
    )
    return {
        "needs": with_contacts(Need.objects.filter(closed_needs)),
        # An evaluation's contact only served its receipt: it expires with the submission's age.
        "evaluations": with_contacts(Evaluation.objects.filter(created_at__lt=cutoff)),
    }


def erase_expired_contacts(
    *, dry_run: bool = False, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Erase (or with dry_run, count) expired contact details, one audit entry per submission."""
    counts = {}
    for kind, queryset in expired_contacts(now).items():
        counts[kind] = queryset.count()
        if dry_run:
            continue
        for submission in queryset.iterator():
            submission.contact_email = ""
            submission.contact_phone = ""
            submission.save(update_fields=["contact_email", "contact_phone", "updated_at"])
            log(instance=submission, action=LOG_ANONYMISE, data={"reason": "retention"})
    return counts
