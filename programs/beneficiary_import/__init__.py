"""Beneficiary-list import: read an uploaded list, validate it, hash it, preview it, apply it.

The flow is upload -> dry run -> confirm (or discard). Personal numbers exist in clear only in
memory while one row is parsed: each is hashed at once with the keyed HMAC of
cms.core.personal_numbers, and only digests reach the database (a PENDING BeneficiaryImport
holds the hashed rows between the dry run and the confirmation), the audit log and
django-import-export (programs.resources). Errors never echo a cell's value.

By step: `limits` (how much a file may be), `reading` (the file to numbered rows), `cells` (one
value validated), `parsing` (the list validated and hashed), `applying` (dry run, confirmation,
discarding, the background tasks' work); `errors` holds what can go wrong. The names other code
uses are re-exported here; patch a name in the module that looks it up.
"""

from programs.beneficiary_import.applying import (
    DISCARD_ACTION,
    DRY_RUN_ACTION,
    FAILED_ACTION,
    IMPORT_ACTION,
    MSG_FAILED,
    DryRunOutcome,
    ImportCounts,
    apply_import,
    apply_in_background,
    beneficiary_count,
    check_in_background,
    discard_import,
    dry_run_import,
    recent_imports,
)
from programs.beneficiary_import.cells import clean_personal_number, clean_service_date
from programs.beneficiary_import.errors import (
    BeneficiaryImportError,
    ImportFailed,
    ImportFileError,
    ImportNotAllowed,
    ImportNotPending,
)
from programs.beneficiary_import.limits import (
    CLOCK_EVERY_ROWS,
    MAX_COLUMNS,
    max_rows,
    max_upload_bytes,
)
from programs.beneficiary_import.parsing import (
    ParsedList,
    RowError,
    parse_beneficiary_file,
    parse_rows,
)
from programs.beneficiary_import.reading import check_upload, iter_csv_rows, iter_xlsx_rows

__all__ = [
    "CLOCK_EVERY_ROWS",
    "DISCARD_ACTION",
    "DRY_RUN_ACTION",
    "FAILED_ACTION",
    "IMPORT_ACTION",
    "MAX_COLUMNS",
    "MSG_FAILED",
    "BeneficiaryImportError",
    "DryRunOutcome",
    "ImportCounts",
    "ImportFailed",
    "ImportFileError",
    "ImportNotAllowed",
    "ImportNotPending",
    "ParsedList",
    "RowError",
    "apply_import",
    "apply_in_background",
    "beneficiary_count",
    "check_in_background",
    "check_upload",
    "clean_personal_number",
    "clean_service_date",
    "discard_import",
    "dry_run_import",
    "iter_csv_rows",
    "iter_xlsx_rows",
    "max_rows",
    "max_upload_bytes",
    "parse_beneficiary_file",
    "parse_rows",
    "recent_imports",
]
