"""Reusable queries over submissions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, models

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
    whose own row is not one either).

    Written as SQL, not built with the ORM: compiling the subqueries cost about 6 ms of CPU
    per submission, far more than running the statement (bench/README.md, profile); the
    table and column names are the models' own."""
    from cms.core.i18n import default_locale

    default = default_locale()
    if program.locale_id == default.pk:
        return _read_facts("page.{id} = %s", [program.pk], person_digest, key_version, period)
    # the translation in Georgian, else the page itself (as `canonical_page`)
    from wagtail.models import Page

    key_field = Page._meta.get_field("translation_key")
    key = key_field.get_db_prep_value(program.translation_key, connection)
    georgian = _read_facts(
        "page.{translation_key} = %s AND page.{locale_id} = %s",
        [key, default.pk],
        person_digest,
        key_version,
        period,
    )
    if georgian is not None:
        return georgian
    return _read_facts("page.{id} = %s", [program.pk], person_digest, key_version, period)


def quoted_column(model: type[models.Model], name: str) -> str:
    """A model field's column, quoted for SQL written out (the hot path's few statements)."""
    field = model._meta.get_field(name)
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{model.__name__}.{name} has no column")
    return connection.ops.quote_name(column)


def _read_facts(
    where: str, where_params: list, person_digest: str, key_version: int, period: str
) -> EvaluationFacts | None:
    from wagtail.models import Page

    from feedback_forms.models.submissions import Evaluation
    from programs.models import BeneficiaryRecord, ProgramPage

    quote = connection.ops.quote_name

    def columns(model: type[models.Model], *names: str) -> dict[str, str]:
        return {name: quoted_column(model, name) for name in names}

    page = columns(Page, "id", "title", "locale", "translation_key")
    page.update(locale_id=page.pop("locale"))
    program = columns(ProgramPage, "page_ptr", "category", "responsible_service")
    listed = columns(BeneficiaryRecord, "program", "person_digest", "key_version")
    evaluation = columns(
        Evaluation, "id", "program", "person_digest", "key_version", "reporting_period", "repeat_of"
    )
    # Only the models' quoted table and column names are formatted in; values are parameters.
    sql = (
        f"SELECT page.{page['id']}, page.{page['title']}, page.{page['locale_id']},"  # noqa: S608
        f" program.{program['category']}, program.{program['responsible_service']},"
        f" EXISTS(SELECT 1 FROM {quote(BeneficiaryRecord._meta.db_table)} listed"
        f"  WHERE listed.{listed['program']} = page.{page['id']}"
        f"  AND listed.{listed['person_digest']} = %s AND listed.{listed['key_version']} = %s),"
        f" (SELECT counted.{evaluation['id']} FROM {quote(Evaluation._meta.db_table)} counted"
        f"  WHERE counted.{evaluation['program']} = page.{page['id']}"
        f"  AND counted.{evaluation['person_digest']} = %s"
        f"  AND counted.{evaluation['key_version']} = %s"
        f"  AND counted.{evaluation['reporting_period']} = %s"
        f"  AND counted.{evaluation['repeat_of']} IS NULL"
        f"  ORDER BY counted.{evaluation['id']} LIMIT 1)"
        f" FROM {quote(ProgramPage._meta.db_table)} program"
        f" JOIN {quote(Page._meta.db_table)} page ON page.{page['id']} = program.{program['page_ptr']}"
        f" WHERE {where.format(**page)}"
    )
    params = [person_digest, key_version, person_digest, key_version, period, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, title, locale_id, category_id, service_id, on_list, counted_id = row
    loaded = {
        "id": pk,
        "page_ptr_id": pk,
        "title": title,
        "locale_id": locale_id,
        "category_id": category_id,
        "responsible_service_id": service_id,
    }
    names = [f.attname for f in ProgramPage._meta.concrete_fields if f.attname in loaded]
    found = ProgramPage.from_db(connection.alias, names, [loaded[name] for name in names])
    return EvaluationFacts(found, bool(on_list), counted_id)
