"""What residents submit: evaluations of programs (Art. 3.2) and needs (Art. 3.3).

Everything a report counts or filters on is a real column; the editor's extra questions are
kept as JSON by stable ASCII field name. The person is known only by a keyed hash of their
personal number, their birth year and whether they were 18 or older when they submitted.
Pages are referenced with SET_NULL and their titles copied, so deleting a page never deletes
or orphans a submission's meaning.

The dates are the record's truth, so the database refuses the impossible: no answer before the
submission, no answer due before the day it was submitted. `submitted_on` is the submission's
Tbilisi date, stored next to `created_at` so that the check compares two dates on SQLite and
PostgreSQL alike (casting a timestamp to a date would depend on the session's time zone).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback_forms.querysets import SubmissionQuerySet


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit to City Hall")
    PAPER = "paper", _("Paper form")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned to a service")
    IN_REVIEW = "in_review", _("In review")
    PLANNED = "planned", _("Answered: planned")
    RESOLVED = "resolved", _("Answered: resolved")
    DECLINED = "declined", _("Answered: declined")
    SPAM = "spam", _("Spam")
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


#: Statuses that never appear in reports or on public pages (the one definition: the workflow,
#: retention, photos, the tracking page and reports all use it).
HIDDEN_STATUSES = (Status.SPAM, Status.DUPLICATE, Status.NOT_ELIGIBLE)
#: An overall rating at or below it is low: the service is alerted, the dashboard and the
#: reports count it as low.
LOW_RATING = 2


class Submission(models.Model):
    """The columns evaluations and needs share."""

    reference = models.CharField(_("reference"), max_length=9, unique=True, editable=False)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by staff member"),
    )
    language = models.CharField(_("language"), max_length=5, default="ka")
    reporting_period = models.CharField(_("reporting period"), max_length=7, db_index=True)
    budget_year = models.PositiveSmallIntegerField(_("budget year"), db_index=True)
    person_digest = models.CharField(_("person (keyed hash)"), max_length=64, editable=False)
    key_version = models.PositiveSmallIntegerField(_("key version"), editable=False)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    is_adult = models.BooleanField(_("18 or older when submitted"))
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    answers = models.JSONField(_("answers to extra questions"), default=dict, blank=True)
    questions = models.JSONField(
        _("extra questions as asked"),
        default=dict,
        blank=True,
        help_text=_("Field name to label at the time of submission, for exports."),
    )
    form_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("form page"),
    )
    service = models.ForeignKey(
        "programs.MunicipalService",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible service"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    public_answer = models.TextField(_("public answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Not auto_now_add: a paper form entered later, or the demo, carries its real past time.
    created_at = models.DateTimeField(
        _("submitted at"), default=timezone.now, editable=False, db_index=True
    )
    submitted_on = models.DateField(
        _("submitted on"),
        editable=False,
        help_text=_("The date of submission in Tbilisi; it decides the reporting period."),
    )
    reported_in = models.CharField(
        _("counted in the report of"),
        max_length=7,
        blank=True,
        default="",
        db_index=True,
        editable=False,
        help_text=_(
            "The reporting period of the sent report whose figures count this submission; "
            "empty until a report counts it."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True)
                | models.Q(answered_at__gte=models.F("created_at")),
                name="%(class)s_answered_after_created",
                violation_error_message=_("An answer cannot be dated before the submission."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=True)
                | models.Q(due_date__gte=models.F("submitted_on")),
                name="%(class)s_due_after_submitted",
                violation_error_message=_(
                    "The answer cannot be due before the day the submission was made."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if self.submitted_on is None and self.created_at is not None:
            self.submitted_on = timezone.localdate(self.created_at)
        super().save(*args, **kwargs)


class Evaluation(Submission):
    """A resident's evaluation of a program they used."""

    program = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("program"),
    )
    program_title = models.CharField(_("program title"), max_length=255)
    category = models.ForeignKey(
        "programs.ProgramCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
        verbose_name=_("category"),
    )
    overall_rating = models.PositiveSmallIntegerField(
        _("overall satisfaction (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    used_on = models.DateField(_("used the program on"))
    verified = models.BooleanField(_("on the beneficiary list"), default=False, db_index=True)
    invitation = models.OneToOneField(
        "programs.Invitation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
        editable=False,
        verbose_name=_("made with the invitation"),
    )
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        editable=False,
        verbose_name=_("repeat of"),
        help_text=_(
            "The same person's earlier evaluation of this program in this half-year: that one "
            "counts, this one is kept as a duplicate."
        ),
    )

    class Meta(Submission.Meta):
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            *Submission.Meta.constraints,
            # One evaluation that counts per person, program and period; a person's later
            # evaluations in the period are kept as repeats of it (see feedback_forms.intake).
            models.UniqueConstraint(
                fields=["program", "person_digest", "key_version", "reporting_period"],
                condition=models.Q(repeat_of__isnull=True),
                name="one_evaluation_per_person_program_period",
            ),
            models.CheckConstraint(
                condition=models.Q(overall_rating__gte=1, overall_rating__lte=5),
                name="evaluation_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "reporting_period"]),
            # The report figures' pass over a period's evaluations (reports.aggregation.passes)
            # groups by these columns in this order and counts the rows whose status is not
            # hidden: it is answered from the index alone (SQLite: a covering index read in
            # the groups' order; PostgreSQL: an index-only scan), never from the rows with
            # their answers and questions (about 1 KB each).
            models.Index(
                fields=[
                    "reporting_period",
                    "program",
                    "service",
                    "channel",
                    "verified",
                    "overall_rating",
                    "category",
                    "program_title",
                    "status",
                ],
                name="figures_evaluation_period_idx",
            ),
            # The invitations' response figures: the period's evaluations made with a code,
            # without reading the others.
            models.Index(
                fields=["reporting_period", "invitation"], name="figures_evaluation_invited_idx"
            ),
        ]
        permissions = [
            ("export_evaluation", _("Can export evaluations")),
            ("enter_on_behalf", _("Can enter evaluations and needs on a resident's behalf")),
        ]


class Need(Submission):
    """A need or idea a resident records for their village or town."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(
        "programs.ProgramCategory",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("category"),
    )
    administrative_unit = models.ForeignKey(
        "programs.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("administrative unit"),
    )
    # Empty when the resident's village is not in the list: they chose "another place in this
    # administrative unit" and named it (the need still counts under its unit); staff can add
    # the named place to the reference data, which links the needs that named it.
    settlement = models.ForeignKey(
        "programs.Settlement",
        on_delete=models.PROTECT,
        related_name="needs",
        null=True,
        blank=True,
        verbose_name=_("settlement"),
    )
    other_place = models.CharField(
        _("place not in the list"),
        max_length=100,
        blank=True,
        help_text=_("The town or village the resident named because it was not in the list."),
    )
    program = models.ForeignKey(
        "programs.ProgramPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("program"),
    )

    class Meta(Submission.Meta):
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [
            *Submission.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(settlement__isnull=False) | ~models.Q(other_place=""),
                name="need_names_its_place",
                violation_error_message=_("A need names a settlement or another place."),
            ),
        ]
        indexes = [
            models.Index(fields=["reporting_period", "category"]),
            models.Index(fields=["reporting_period", "administrative_unit"]),
            # The report figures' (reports.aggregation): every query of a period's needs but
            # the top needs' titles is answered from this index alone (status, service and
            # channel first, in the order the pass over the needs groups them; the places
            # the figures group by names; the dates of the overdue count and the medians).
            models.Index(
                fields=[
                    "reporting_period",
                    "status",
                    "service",
                    "channel",
                    "category",
                    "administrative_unit",
                    "settlement",
                    "due_date",
                    "created_at",
                    "answered_at",
                ],
                name="figures_need_period_idx",
            ),
        ]
        permissions = [
            ("export_need", _("Can export needs")),
            ("assign_need", _("Can assign needs to a service")),
            ("view_all_submissions", _("Can see the submissions of every service")),
            (
                "answer_data_requests",
                _("Can find a person's submissions and erase their contacts on request"),
            ),
        ]

    @property
    def place(self) -> str:
        """The settlement, or the place the resident named, in the reader's language."""
        if self.settlement_id:
            return str(self.settlement)
        return _("%(place)s (not in the list)") % {"place": self.other_place}
