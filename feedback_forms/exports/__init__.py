"""Excel and CSV exports of submissions for the PR division's analysts (DESIGN.md "Privacy").

Exports stream: rows come from the database in chunks and go straight into a write-only
workbook on disk or into the CSV response, so memory stays flat however many rows there are.
Personal data (the keyed hash of the personal number, contact e-mail and phone) never leaves
the database this way: those columns are not even loaded. Every text cell is cleaned of the
control characters Excel refuses and neutralised when Excel could read it as a formula.

Callers pass a queryset that is already limited to what the user may export
(`permissions.submissions_for(user, model, "export")` and `filters.filtered_submissions`).

The package, by purpose: `cells` (what every cell goes through), `columns` (which columns and
how rows are read), `xlsx` and `csv_files` (the two file formats), `responses` (downloads).
"""

from feedback_forms.exports.cells import Row, Value, clean_text, is_formula_like, local_naive
from feedback_forms.exports.columns import (
    PRIVATE_FIELDS,
    Column,
    export_rows,
    extra_questions,
    field_header,
    submission_columns,
    yes_no_labels,
)
from feedback_forms.exports.csv_files import (
    CSV_CONTENT_TYPE,
    csv_cell_writer,
    stream_csv,
    write_csv,
)
from feedback_forms.exports.responses import FILE_FORMATS, export_response, filename_stem
from feedback_forms.exports.xlsx import XLSX_CONTENT_TYPE, write_xlsx

__all__ = [
    "CSV_CONTENT_TYPE",
    "FILE_FORMATS",
    "PRIVATE_FIELDS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Row",
    "Value",
    "clean_text",
    "csv_cell_writer",
    "export_response",
    "export_rows",
    "extra_questions",
    "field_header",
    "filename_stem",
    "is_formula_like",
    "local_naive",
    "stream_csv",
    "submission_columns",
    "write_csv",
    "write_xlsx",
    "yes_no_labels",
]
