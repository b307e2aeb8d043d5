"""Admin screens of the beneficiary-list import: upload -> dry run -> confirm or discard.

The views only check access and translate outcomes into pages and messages; reading, hashing
and importing live in programs.beneficiary_import.
"""

import io
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from cms.core.typing import AuthenticatedRequest
from programs import beneficiary_import, invitations
from programs.beneficiary_import import (
    ImportFailed,
    ImportFileError,
    ImportNotAllowed,
    ImportNotPending,
)
from programs.models import BeneficiaryImport, ProgramPage
from programs.permissions import can_import_beneficiaries

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TEMPLATE_DIR = "programs/admin/beneficiaries"


class InMemoryUploadHandler(FileUploadHandler):
    """Keep the uploaded list in memory whatever its size, so a list of personal numbers is
    never written to a temporary file (Django spools uploads over 2.5 MB to disk).

    Bytes beyond the size limit are counted but not kept; the form then rejects the file.
    """

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.buffer = io.BytesIO()
        self.limit = beneficiary_import.max_upload_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.buffer.tell() <= self.limit:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


class BeneficiaryFileForm(forms.Form):
    file = forms.FileField(
        label=_("Beneficiary list"),
        allow_empty_file=True,  # check_upload gives the same message for every empty file
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel (.xlsx) or CSV (UTF-8) file whose first row names two columns: "
            "“personal number” and “date of service” (Georgian or English names). "
            "At most %(size)s and %(rows)s rows."
        ) % {
            "size": filesizeformat(beneficiary_import.max_upload_bytes()),
            "rows": beneficiary_import.max_rows(),
        }

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        try:
            beneficiary_import.check_upload(uploaded)
        except ImportFileError as error:
            raise ValidationError(error.message, code="file") from error
        return uploaded


def forbidden(request: HttpRequest, program: ProgramPage | None = None) -> HttpResponse:
    """A real 403 page: Wagtail would turn a raised PermissionDenied into a redirect."""
    return TemplateResponse(
        request,
        f"{TEMPLATE_DIR}/forbidden.html",
        {
            "page_title": _("Beneficiaries"),
            "header_title": _("Beneficiaries"),
            "header_icon": "group",
            "program": program,
        },
        status=403,
    )


class ProgramBeneficiariesMixin(WagtailAdminTemplateMixin):
    """Resolve the program (404 if missing, Georgian page if English) and check access."""

    header_icon = "group"
    page_title = _("Beneficiaries")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.page = get_object_or_404(ProgramPage, pk=kwargs["page_id"])
        self.program = self.page.canonical_program

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_import_beneficiaries(request.user, self.program):
            return forbidden(request, self.program)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return self.program.get_admin_display_title()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("programs_beneficiaries:index"), "label": _("Beneficiary lists")},
            {"url": self.upload_url, "label": self.program.get_admin_display_title()},
        ]

    @property
    def upload_url(self) -> str:
        return reverse("programs_beneficiaries:upload", args=[self.program.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            program=self.program,
            upload_url=self.upload_url,
            beneficiary_count=beneficiary_import.beneficiary_count(self.program),
            invitation_counts=invitations.counts(self.program),
            send_invitations_url=reverse("programs_beneficiaries:invite", args=[self.program.pk]),
        )
        return context

    def get_import(self, import_id: int) -> BeneficiaryImport:
        """Only an import of the program named in the URL."""
        return get_object_or_404(
            BeneficiaryImport.objects.select_related("uploaded_by", "program").defer("rows"),
            pk=import_id,
            program=self.program,
        )


@method_decorator(csrf_exempt, name="dispatch")
class BeneficiaryUploadView(ProgramBeneficiariesMixin, View):
    """Upload form, the dry run of an uploaded file, and the program's recent imports."""

    template_name = f"{TEMPLATE_DIR}/upload.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Upload handlers must be set before the body is read, hence csrf_exempt on dispatch
        # and the CSRF check here, after the handler is in place.
        request.upload_handlers = [InMemoryUploadHandler(request)]
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=BeneficiaryFileForm()))

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BeneficiaryFileForm(request.POST, request.FILES)
        outcome = None
        if form.is_valid():
            try:
                outcome = beneficiary_import.dry_run_import(
                    self.program, request.user, form.cleaned_data["file"]
                )
            except (ImportFileError, ImportFailed) as error:
                form.add_error("file", error.message)
            else:
                if outcome.batch is not None:
                    return redirect(
                        "programs_beneficiaries:preview", self.program.pk, outcome.batch.pk
                    )
        return self.render_to_response(self.get_context_data(form=form, outcome=outcome))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["recent_imports"] = beneficiary_import.recent_imports(self.program)
        return context


class BeneficiaryImportPreviewView(ProgramBeneficiariesMixin, View):
    """The dry run's result: counts, and Confirm/Discard for the person who uploaded it."""

    template_name = f"{TEMPLATE_DIR}/preview.html"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Check result")}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_import(kwargs["import_id"])
        pending = batch.status == BeneficiaryImport.Status.PENDING
        return self.render_to_response(
            self.get_context_data(
                batch=batch,
                duplicate_rows=max(0, batch.total_rows - batch.new_rows - batch.existing_rows),
                is_pending=pending,
                is_checking=batch.status == BeneficiaryImport.Status.CHECKING,
                is_importing=batch.status == BeneficiaryImport.Status.IMPORTING,
                has_failed=batch.status == BeneficiaryImport.Status.FAILED,
                can_confirm=pending and batch.uploaded_by_id == request.user.pk,
            )
        )


class BeneficiaryImportActionView(ProgramBeneficiariesMixin, View):
    """POST-only action on a pending import; a stale or repeated submit only shows a message."""

    http_method_names = ["post"]

    def action(self, batch: BeneficiaryImport, user: Any) -> BeneficiaryImport:
        raise NotImplementedError

    def success_message(self, batch: BeneficiaryImport) -> "StrOrPromise":
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_import(kwargs["import_id"])
        try:
            batch = self.action(batch, request.user)
        except ImportNotAllowed:
            return forbidden(request, self.program)
        except ImportNotPending as error:
            messages.warning(request, error.message)
        except ImportFailed as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.success_message(batch))
        return redirect(self.upload_url)


class BeneficiaryImportConfirmView(BeneficiaryImportActionView):
    def action(self, batch: BeneficiaryImport, user: Any) -> BeneficiaryImport:
        return beneficiary_import.apply_import(batch, user)

    def success_message(self, batch: BeneficiaryImport) -> "StrOrPromise":
        if batch.status == BeneficiaryImport.Status.IMPORTING:
            return _(
                "The list is large, so it is being imported in the background. Reload this "
                "page in a minute: the list of recent imports shows when it is done."
            )
        return _("Beneficiary list imported: %(new)s new, %(existing)s already on the list.") % {
            "new": batch.new_rows,
            "existing": batch.existing_rows,
        }


class BeneficiaryImportDiscardView(BeneficiaryImportActionView):
    def action(self, batch: BeneficiaryImport, user: Any) -> BeneficiaryImport:
        return beneficiary_import.discard_import(batch, user)

    def success_message(self, batch: BeneficiaryImport) -> "StrOrPromise":
        return _("Beneficiary list discarded. Nothing was imported from it.")


class InvitationSendView(ProgramBeneficiariesMixin, View):
    """Send every beneficiary with a contact who was not invited yet their personal code."""

    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outcome = invitations.send_invitations(self.program, request.user)
        if outcome.sms or outcome.email:
            messages.success(
                request,
                _("Invitations sent: %(sms)s by SMS, %(email)s by e-mail.")
                % {"sms": outcome.sms, "email": outcome.email},
            )
        else:
            messages.warning(request, _("There is nobody left to invite on this list."))
        return redirect(self.upload_url)


class BeneficiaryProgramsView(WagtailAdminTemplateMixin, View):
    """Entry point for service representatives, who have no page permissions and so never
    see the program pages' buttons: the programs whose lists they may import."""

    template_name = f"{TEMPLATE_DIR}/index.html"
    header_icon = "group"
    page_title = _("Beneficiary lists")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.has_perm("programs.import_all_beneficiaries") and not user.has_perm(
            "programs.import_beneficiaries"
        ):
            return forbidden(request)
        programs = ProgramPage.objects.filter(locale=Locale.get_default())
        if not user.has_perm("programs.import_all_beneficiaries"):
            programs = programs.filter(responsible_service__representatives=user)
        programs = (
            programs.select_related("responsible_service")
            .annotate(
                beneficiary_total=Count("beneficiaries", distinct=True),
                pending_total=Count(
                    "beneficiary_imports",
                    filter=Q(beneficiary_imports__status=BeneficiaryImport.Status.PENDING),
                    distinct=True,
                ),
            )
            .order_by("title")
        )
        return self.render_to_response(self.get_context_data(programs=programs))

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]
