"""Object storage for the private files (exports, report workbooks) and how they are handed out.

A private file is only ever given to someone through a permission-checked, audited view. With
the filesystem default that view streams the file; with object storage it answers with a
redirect to a signed URL that expires within a minute (`STORAGE_PRIVATE_URL_SECONDS`), so the
file travels from the bucket to the browser without passing through a web container, and a
copied link is useless soon after.
"""

from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponseBase, HttpResponseRedirect


def signs_urls(storage: Storage) -> bool:
    return callable(getattr(storage, "signed_download_url", None))


def private_file_response(
    file: FieldFile, filename: str, content_type: str | None = None
) -> HttpResponseBase:
    """The response of a download view, after its permission check and audit entry."""
    storage = file.storage
    if signs_urls(storage):
        if not file.name or not storage.exists(file.name):
            raise Http404
        response = HttpResponseRedirect(
            # Only the S3 storage has it (signs_urls checked); the Storage base class does not.
            storage.signed_download_url(file.name, filename, content_type)  # type: ignore[attr-defined]
        )
        response["Cache-Control"] = "no-store"
        return response
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
