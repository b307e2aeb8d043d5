"""Exports as downloads: the response and its file name."""

import datetime
import tempfile

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from feedback_forms.exports.cells import local_naive
from feedback_forms.exports.csv_files import CSV_CONTENT_TYPE, stream_csv
from feedback_forms.exports.xlsx import XLSX_CONTENT_TYPE, write_xlsx
from feedback_forms.filters import MODELS

FILE_FORMATS = ("xlsx", "csv")


def export_response(
    queryset: QuerySet, kind: str, file_format: str, filename_stem: str
) -> HttpResponseBase:
    """A download: XLSX built in a temporary file then streamed, CSV streamed as it is read.

    The temporary file has no name on disk and disappears when the response closes it.
    """
    if kind not in MODELS:
        raise ValueError(f"Unknown kind of submission: {kind!r}")
    if file_format == "xlsx":
        tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 -- closed by FileResponse
        try:
            write_xlsx(queryset, kind, tmp)
            tmp.seek(0)
        except BaseException:
            tmp.close()
            raise
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=f"{filename_stem}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )
    if file_format == "csv":
        response = StreamingHttpResponse(stream_csv(queryset, kind), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{filename_stem}.csv"
        )
        return response
    raise ValueError(f"Unknown export format: {file_format!r}")


def filename_stem(kind: str, moment: datetime.datetime | None = None) -> str:
    """ASCII file names such as "needs-20250614-0930": safe in every browser and mail client."""
    moment = local_naive(moment or timezone.now())
    plural = {"evaluation": "evaluations", "need": "needs"}.get(kind, kind)
    return f"{plural}-{moment:%Y%m%d-%H%M}"
