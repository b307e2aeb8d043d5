"""The mayor's budget commitments (Art. 4.7): problems residents raised that go into next year's
draft budget, tracked in public until they are done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.i18n import localized
from reports.querysets import BudgetCommitmentQuerySet


class BudgetCommitment(models.Model):
    """A problem the mayor decided to put into next year's draft budget.

    Its status is the only thing the linked needs' authors are told about the budget: it changes
    only through `reports.workflow.change_commitment_status`, which moves each linked need's
    public state with it (and back, when the commitment is dropped).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        IN_DRAFT_BUDGET = "in_draft_budget", _("In the draft budget")
        ADOPTED = "adopted", _("Adopted in the budget")
        IMPLEMENTED = "implemented", _("Implemented")
        DROPPED = "dropped", _("Dropped")

    title_ka = models.CharField(_("title (Georgian)"), max_length=250)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    description_ka = models.TextField(_("description (Georgian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    report = models.ForeignKey(
        "reports.ResultsReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("decided at the review of"),
    )
    needs = models.ManyToManyField(
        "feedback_forms.Need",
        blank=True,
        related_name="commitments",
        verbose_name=_("needs"),
        through="reports.CommitmentNeed",
        through_fields=("commitment", "need"),
    )
    programs = models.ManyToManyField(
        "programs.ProgramPage",
        blank=True,
        related_name="+",
        verbose_name=_("programs whose evaluations it answers"),
    )
    evaluation_findings = models.TextField(_("evaluation findings"), blank=True)
    service = models.ForeignKey(
        "programs.MunicipalService",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("responsible service"),
    )
    budget_year = models.PositiveSmallIntegerField(_("target budget year"), db_index=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (GEL)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    dropped_reason_ka = models.TextField(_("why it was dropped (Georgian)"), blank=True)
    dropped_reason_en = models.TextField(_("why it was dropped (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BudgetCommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-budget_year", "title_ka"]
        verbose_name = _("budget commitment")
        verbose_name_plural = _("budget commitments")
        permissions = [
            ("decide_budgetcommitment", _("Can change the status of a budget commitment")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def dropped_reason(self) -> str:
        return localized(self, "dropped_reason")

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class CommitmentNeed(models.Model):
    """A resident's need linked to a commitment.

    It remembers where the need stood before it was linked (to return it there if the commitment
    is dropped) and the state the commitment last gave it (so a dropped commitment never undoes
    an answer the service gave in the meantime).
    """

    commitment = models.ForeignKey(
        BudgetCommitment,
        on_delete=models.CASCADE,
        db_column="budgetcommitment_id",
        related_name="need_links",
        verbose_name=_("commitment"),
    )
    need = models.ForeignKey(
        "feedback_forms.Need",
        on_delete=models.CASCADE,
        related_name="commitment_links",
        verbose_name=_("need"),
    )
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    status_before = models.CharField(_("status before it was linked"), max_length=16, blank=True)
    answer_before = models.TextField(_("public answer before it was linked"), blank=True)
    answered_at_before = models.DateTimeField(
        _("answered at, before it was linked"), null=True, blank=True
    )
    applied_status = models.CharField(_("status the commitment gave"), max_length=16, blank=True)
    applied_answer = models.TextField(_("public answer the commitment gave"), blank=True)

    class Meta:
        db_table = "reports_budgetcommitment_needs"
        unique_together = [("commitment", "need")]
        ordering = ["linked_at", "pk"]
        verbose_name = _("linked need")
        verbose_name_plural = _("linked needs")

    def __str__(self) -> str:
        return f"{self.commitment_id} ← {self.need_id}"


class CommitmentProgressNote(models.Model):
    """A public progress update on a commitment."""

    commitment = models.ForeignKey(
        BudgetCommitment,
        on_delete=models.CASCADE,
        related_name="progress_notes",
        verbose_name=_("commitment"),
    )
    noted_on = models.DateField(_("date"))
    text_ka = models.TextField(_("progress (Georgian)"))
    text_en = models.TextField(_("progress (English)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"{self.noted_on}: {self.text[:40]}"

    @property
    def text(self) -> str:
        return localized(self, "text")
