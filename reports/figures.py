"""Which figures a report shows: frozen once sent, live while a draft."""

from reports.aggregation import compute_figures
from reports.figures_schema import Figures, load_figures
from reports.models import ResultsReport


def figures_for(report: ResultsReport) -> Figures:
    """A sent report never changes: later edits to submissions do not touch its figures, and
    figures frozen in an older schema version are read back in the current one."""
    if report.is_frozen and report.figures:
        return load_figures(report.figures)
    return compute_figures(report.period.code)
