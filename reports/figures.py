"""Which figures a report shows: frozen once sent, live while a draft."""

from reports.aggregation import compute_figures
from reports.models import ResultsReport


def figures_for(report: ResultsReport) -> dict:
    """A sent report never changes: later edits to submissions do not touch its figures."""
    if report.is_frozen and report.figures:
        return report.figures
    return compute_figures(report.period.code)
