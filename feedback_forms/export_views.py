"""Admin views of exports: download a listing as XLSX/CSV, follow background jobs, fetch files.

Thin on purpose: rows come from `submissions_for(user, model, "export")` narrowed by the
listing's own filter set, files from `exports`, jobs and audit entries from `export_jobs`.
Refusals are explicit 403/404/400 pages: Wagtail's admin would turn `PermissionDenied` into a
redirect to the dashboard, which hides from scripts and tests that the export was refused.
"""

import os
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.core.storage import private_file_response
from cms.core.typing import AuthenticatedRequest
from feedback_forms.export_jobs import (
    DOWNLOAD_ACTION,
    EXPORT_ACTION,
    clean_query,
    inline_export_max_rows,
    log_download,
    record_inline_export,
    start_export,
)
from feedback_forms.exports import FILE_FORMATS, export_response, filename_stem
from feedback_forms.filters import FILTER_SETS, MODELS, SEARCH_KEY, filtered_submissions
from feedback_forms.models import ExportJob
from feedback_forms.permissions import perm_name, submissions_for

if TYPE_CHECKING:
    pass

JOBS_SHOWN = 50
REFUSED_TEMPLATE = "feedback_forms/admin/exports/refused.html"
#: Query keys of Wagtail's date range widget (`created_at_from`, `created_at_to`).
RANGE_SUFFIXES = {
    "_from": gettext_lazy("%(filter)s (from)"),
    "_to": gettext_lazy("%(filter)s (to)"),
}


def refuse(request: HttpRequest, status: int, message: str) -> TemplateResponse:
    """An admin page that says why, with the real status code (never a silent redirect)."""
    context = {"page_title": _("Export"), "header_icon": "download", "message": message}
    return TemplateResponse(request, REFUSED_TEMPLATE, context, status=status)


def can_export(user: Any, kind: str) -> bool:
    return user.is_active and user.has_perm(perm_name(MODELS[kind], "export"))


def export_view(request: AuthenticatedRequest, kind: str) -> HttpResponseBase:
    """Stream the listing's rows, or hand a very large export to a background job."""
    if kind not in MODELS:
        return refuse(request, 404, _("There is no such list to export."))
    file_format = request.GET.get("format", "xlsx")
    if file_format not in FILE_FORMATS:
        return refuse(request, 400, _("Exports are available as Excel (.xlsx) or CSV files."))
    if not can_export(request.user, kind):
        return refuse(request, 403, _("You do not have permission to export these submissions."))
    query = clean_query(dict(request.GET.lists()))
    permitted = submissions_for(request.user, MODELS[kind], "export")
    queryset = filtered_submissions(permitted, kind, query)
    rows = queryset.count()
    if rows > inline_export_max_rows():
        start_export(request.user, kind, file_format, query)
        messages.success(
            request,
            _(
                "The export has %(rows)s rows, too many to download at once. It is being "
                "prepared: download it from this page when it is ready."
            )
            % {"rows": rows},
        )
        return redirect("feedback_exports:jobs")
    # Audit first: if the audit log cannot be written, nothing leaves the database.
    record_inline_export(request.user, kind, file_format, query, rows)
    return export_response(queryset, kind, file_format, filename_stem(kind))


def filter_label(filters: dict[str, Any], key: str) -> str:
    if key == SEARCH_KEY:  # the search box narrows an export as the filters do: name it too
        return _("Search term")
    if key in filters:
        return str(filters[key].label)
    for suffix, template in RANGE_SUFFIXES.items():
        base = key.removesuffix(suffix)
        if base != key and base in filters:
            return template % {"filter": filters[base].label}
    return key


def describe_filters(kind: str, query: dict[str, list[str]]) -> str:
    """The filters of a job in the listing's own words, so staff can tell their exports apart."""
    if kind not in FILTER_SETS:
        return ""
    filters = FILTER_SETS[kind](queryset=MODELS[kind].objects.none()).filters
    parts = []
    for key, values in sorted(query.items()):
        shown = [value_label(filters.get(key), value) for value in values if value]
        if shown:
            parts.append(f"{filter_label(filters, key)}: {', '.join(shown)}")
    return "; ".join(parts)


def value_label(filter_: Any, value: str) -> str:
    """A filter value as the listing's filter shows it: the unit's or status's name, not its id
    or code. A value that no longer names anything (a deleted row) is shown as stored."""
    field = getattr(filter_, "field", None)
    try:
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            found = field.queryset.filter(**{field.to_field_name or "pk": value}).first()
            return field.label_from_instance(found) if found is not None else value
        choices: dict[str, str] = {}
        for option, label in getattr(field, "choices", None) or []:
            options = label if isinstance(label, (list, tuple)) else [(option, label)]
            choices.update({str(key): str(text) for key, text in options})
        return choices.get(str(value), value)
    except (ValueError, TypeError, ValidationError):
        return value


class ExportJobsView(WagtailAdminTemplateMixin, TemplateView):
    """The signed-in staff member's own exports, newest first."""

    template_name = "feedback_forms/admin/exports/jobs.html"
    page_title = gettext_lazy("My exports")
    header_icon = "download"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        jobs = ExportJob.objects.filter(requested_by=self.request.user)[:JOBS_SHOWN]
        context["shortcuts"] = [
            {
                "label": str(model._meta.verbose_name_plural),
                "url": reverse("feedback_exports:export", args=[kind]),
            }
            for kind, model in MODELS.items()
            if can_export(self.request.user, kind)
        ]
        context["jobs"] = [
            {
                "job": job,
                "kind": str(MODELS[job.kind]._meta.verbose_name_plural)
                if job.kind in MODELS
                else job.kind,
                "filters": describe_filters(job.kind, job.query or {}),
                "downloadable": job.status == ExportJob.Status.READY and bool(job.file),
            }
            for job in jobs
        ]
        return context


def download_view(request: AuthenticatedRequest, job_id: int) -> HttpResponseBase:
    """The owner's finished file from private storage; anyone else learns nothing (404)."""
    job = ExportJob.objects.filter(pk=job_id, requested_by=request.user).first()
    if job is None or job.status != ExportJob.Status.READY or not job.file or not job.file.name:
        raise Http404
    if job.kind not in MODELS or not can_export(request.user, job.kind):
        return refuse(request, 403, _("You no longer have permission to export these submissions."))
    log_download(job, request.user)
    return private_file_response(job.file, os.path.basename(job.file.name))


export_urlpatterns = [
    path("export/<str:kind>/", export_view, name="export"),
    path("jobs/", ExportJobsView.as_view(), name="jobs"),
    path("jobs/<int:job_id>/download/", download_view, name="download"),
]


def get_export_urls() -> list:
    """For the `register_admin_urls` hook: /admin/feedback/exports/..., namespace feedback_exports."""
    return [path("feedback/exports/", include((export_urlpatterns, "feedback_exports")))]


def register_export_log_actions(actions: Any) -> None:
    """For the `register_log_actions` hook: audit-log labels; messages show counts, never data."""
    from cms.core.audit_log import TemplatedLogFormatter

    class ExportLogFormatter(TemplatedLogFormatter):
        def values(self, data: dict[str, Any]) -> dict[str, Any]:
            kind = data.get("kind", "")
            return {
                "rows": data.get("rows", 0),
                "kind": MODELS[kind]._meta.verbose_name_plural if kind in MODELS else kind,
                "format": data.get("format", ""),
            }

    @actions.register_action(EXPORT_ACTION)
    class ExportFormatter(ExportLogFormatter):
        label = gettext_lazy("Export submissions")
        message = gettext_lazy("Submissions exported")
        template = gettext_lazy("Exported %(rows)s rows (%(kind)s, %(format)s)")

    @actions.register_action(DOWNLOAD_ACTION)
    class DownloadFormatter(ExportLogFormatter):
        label = gettext_lazy("Download export")
        message = gettext_lazy("Export downloaded")
        template = gettext_lazy("Downloaded an export of %(rows)s rows (%(kind)s, %(format)s)")
