"""Reusable queries over submissions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from wagtail.models import Page

    from feedback_forms.models.pages import FeedbackFormPage
    from programs.models import ProgramPage


class SubmissionQuerySet(models.QuerySet):
    def visible(self) -> "SubmissionQuerySet":
        """Submissions that count: not spam, duplicates or ineligible."""
        from feedback_forms.models.submissions import HIDDEN_STATUSES

        return self.exclude(status__in=HIDDEN_STATUSES)

    def in_period(self, code: str) -> "SubmissionQuerySet":
        return self.filter(reporting_period=code)

    def unreported(self) -> "SubmissionQuerySet":
        """Not yet counted by any sent report."""
        return self.filter(reported_in="")

    def received_late_for(self, code: str, frozen_codes: Iterable[str]) -> "SubmissionQuerySet":
        """The late arrivals the report of `code` counts: submissions of other periods that it
        counted when it was sent, or, while it is a draft, those of `frozen_codes` (earlier
        periods whose report was already sent) that no report has counted yet."""
        return self.exclude(reporting_period=code).filter(
            models.Q(reported_in=code)
            | models.Q(reported_in="", reporting_period__in=list(frozen_codes))
        )

    def counted_elsewhere_than(self, code: str) -> "SubmissionQuerySet":
        """Submissions of the period `code` that its sent report did not count: they arrived
        after it, and the next report counts them (or will)."""
        return self.in_period(code).exclude(reported_in=code)

    def unlisted_places(self) -> "models.QuerySet":
        """Needs' places not in the reference data, one row per unit and name (as typed, case
        aside), with how many needs named it: what staff review before adding a settlement."""
        from django.db.models.functions import Lower

        return (
            self.filter(settlement__isnull=True)
            .exclude(other_place="")
            .annotate(place_key=Lower("other_place"))
            .values("administrative_unit", "place_key")
            .annotate(
                name=models.Min("other_place"),
                count=models.Count("pk"),
                last=models.Max("created_at"),
            )
            .order_by("-count", "place_key")
        )

    def naming_place(self, unit_id: int, name: str) -> "SubmissionQuerySet":
        """The needs of a unit that named this place (case aside) and have no settlement."""
        return self.filter(
            settlement__isnull=True, administrative_unit_id=unit_id, other_place__iexact=name
        )

    # --- Closing the loop (issue 15): what services are reminded of, what residents are asked.

    def open_needs(self) -> "SubmissionQuerySet":
        """Needs still waiting for the service's answer."""
        from feedback_forms.models.submissions import Status

        return self.filter(status__in=[Status.ASSIGNED, Status.IN_REVIEW])

    def due_between(self, first: datetime.date, last: datetime.date) -> "SubmissionQuerySet":
        """Open needs with a service whose answer is due from `first` to `last` (inclusive)."""
        return self.open_needs().filter(service__isnull=False, due_date__range=(first, last))

    def assigned_since(self, moment: datetime.datetime) -> "SubmissionQuerySet":
        """Open needs that were (re)assigned to their service since `moment`."""
        from feedback_forms.models.submissions import Status

        return (
            self.open_needs()
            .filter(updates__status=Status.ASSIGNED, updates__at__gte=moment)
            .distinct()
        )

    def resolved_between(
        self, earliest: datetime.datetime, latest: datetime.datetime
    ) -> "SubmissionQuerySet":
        """Needs answered as resolved in the window, with an e-mail or a mobile to ask "is it
        fixed?"."""
        from feedback_forms.models.submissions import Status

        return self.filter(
            status=Status.RESOLVED,
            answered_at__gte=earliest,
            answered_at__lte=latest,
        ).exclude(contact_email="", contact_phone="")


def attached_form(program: "Page", kind: str) -> "FeedbackFormPage | None":
    """The live, public form of a kind ("evaluation", "need") under a program: the first in
    the tree's order, as `ProgramPage.attached_forms` picks it, in one query of that form's
    own model instead of the children's base rows and then their specific rows."""
    from cms.core.querysets import public
    from feedback_forms.models.pages import FeedbackFormPage

    models = [model for model in FeedbackFormPage.__subclasses__() if model.form_kind == kind]
    if len(models) != 1:
        return None
    form = public(models[0].objects.live().child_of(program)).first()
    if form is not None:
        form._cached_parent_obj = program  # its get_parent() is this program, no query
    return form


@dataclass(frozen=True)
class EvaluationFacts:
    """What storing one person's evaluation of a program needs to know, read together."""

    #: the Georgian program, with the columns an evaluation copies (others load on access)
    program: "ProgramPage"
    #: the person is on the program's beneficiary list
    on_list: bool
    #: the person's evaluation of the program that counts in the period, if any
    counted_id: int | None


def evaluation_facts(
    program: "Page", person_digest: str, key_version: int, period: str
) -> EvaluationFacts | None:
    """The Georgian program, whether the person is on its beneficiary list and their counted
    evaluation of it in the period, in one statement instead of three (issue 13): the same
    answers as `canonical_page`, `check_beneficiary_list` and `counted_evaluation` ask for
    separately. None when the page is no program (or a translation without a Georgian page
    whose own row is not one either)."""
    from cms.core.i18n import default_locale
    from feedback_forms.models.submissions import Evaluation
    from programs.models import BeneficiaryRecord, ProgramPage

    person = {"person_digest": person_digest, "key_version": key_version}
    counted = Evaluation.objects.filter(
        program=models.OuterRef("pk"), reporting_period=period, repeat_of__isnull=True, **person
    ).order_by("pk")
    facts = ProgramPage.objects.only("title", "locale", "category", "responsible_service").annotate(
        on_list=models.Exists(
            BeneficiaryRecord.objects.filter(program=models.OuterRef("pk"), **person)
        ),
        counted_id=models.Subquery(counted.values("pk")[:1]),
    )
    default = default_locale()
    if program.locale_id == default.pk:
        found = facts.filter(pk=program.pk).first()
    else:  # the translation in Georgian, else the page itself (as `canonical_page`)
        found = (
            facts.filter(translation_key=program.translation_key, locale_id=default.pk).first()
            or facts.filter(pk=program.pk).first()
        )
    if found is None:
        return None
    return EvaluationFacts(found, found.on_list, found.counted_id)
