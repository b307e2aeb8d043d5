"""The rule's two obligations on the admin dashboard (Art. 4.4 and 4.7)."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from reports.models import BudgetCommitment, ResultsReport

REQUIRED_REPORTS = 2
REQUIRED_COMMITMENTS = 2
REMIND_FROM = (10, 1)  # month, day: six weeks before the draft budget is due
DRAFT_BUDGET_DUE = (11, 15)


def compliance(today: datetime.date) -> dict:
    year = today.year
    reports = ResultsReport.objects.compiled_in_budget_year(year).count()
    commitments = BudgetCommitment.objects.in_draft_budget_or_beyond(year + 1).count()
    due = datetime.date(year, *DRAFT_BUDGET_DUE)
    remind = (
        datetime.date(year, *REMIND_FROM) <= today <= due and commitments < REQUIRED_COMMITMENTS
    )
    return {
        "year": year,
        "reports": reports,
        "reports_ok": reports >= REQUIRED_REPORTS,
        "commitments": commitments,
        "commitments_ok": commitments >= REQUIRED_COMMITMENTS,
        "next_year": year + 1,
        "draft_budget_due": due,
        "remind": remind,
        "overdue_reports": list(ResultsReport.objects.overdue(today).select_related("period")),
    }


class CompliancePanel(Component):
    name = "results_compliance"
    template_name = "reports/admin/compliance_panel.html"
    order = 40

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "compliance": compliance(timezone.localdate()),
            "required_reports": REQUIRED_REPORTS,
            "required_commitments": REQUIRED_COMMITMENTS,
            "title": _("The rule's obligations"),
        }
