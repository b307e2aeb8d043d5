from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Results and reports")

    def ready(self) -> None:
        from cms.core.page_cache_signals import connect_models
        from reports.models import ReportingPeriod, ResultsReport

        # A program page shows its rating in the latest published report.
        connect_models(ResultsReport, ReportingPeriod)
