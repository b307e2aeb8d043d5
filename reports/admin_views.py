"""The report's step views: send to the mayor, record the review, publish."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cms.core.typing import AuthenticatedRequest
from reports import workflow
from reports.admin_forms import PublishForm, ReviewForm, SendForm
from reports.models import ResultsReport

STEPS: dict[str, dict[str, Any]] = {
    "send": {
        "form": SendForm,
        "permission": workflow.SEND_PERMISSION,
        "title": "Send to the mayor",
    },
    "review": {
        "form": ReviewForm,
        "permission": workflow.REVIEW_PERMISSION,
        "title": "Record the mayor's review",
    },
    "publish": {
        "form": PublishForm,
        "permission": workflow.PUBLISH_PERMISSION,
        "title": "Publish the report",
    },
}


def inspect_url(report: ResultsReport) -> str:
    from django.urls import reverse

    return reverse("reports_resultsreport:inspect", args=[report.pk])


class ReportStepView(View):
    """One form per step; the workflow function validates, records and logs it."""

    template_name = "reports/admin/step.html"
    request: AuthenticatedRequest

    def dispatch(self, request: HttpRequest, pk: int, step: str) -> HttpResponseBase:
        if step not in STEPS:
            return HttpResponse(status=404)
        self.step = STEPS[step]
        self.step_name = step
        if not request.user.has_perm(self.step["permission"]):
            return HttpResponseForbidden(_("You may not take this step."))
        self.report = get_object_or_404(ResultsReport.objects.select_related("period"), pk=pk)
        return super().dispatch(request)

    def render(self, form: forms.Form, status: int = 200) -> TemplateResponse:
        context = {
            "report": self.report,
            "form": form,
            "step": self.step_name,
            "step_title": _(self.step["title"]),
            "inspect_url": inspect_url(self.report),
            "period_has_ended": workflow.period_has_ended(self.report.period),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"sent_on": timezone.localdate(), "meeting_on": timezone.localdate()}
        return self.render(self.step["form"](initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.step["form"](request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            self.apply(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        messages.success(request, _("Done: %(step)s.") % {"step": _(self.step["title"])})
        return redirect(inspect_url(self.report))

    def apply(self, data: dict) -> None:
        user = self.request.user
        if self.step_name == "send":
            workflow.send_to_mayor(
                self.report, by=user, sent_on=data["sent_on"], interim=data.get("interim", False)
            )
        elif self.step_name == "review":
            workflow.record_review(
                self.report,
                by=user,
                meeting_on=data["meeting_on"],
                services=list(data["services"]),
                minutes=data["minutes"],
            )
        else:
            workflow.publish(self.report, by=user)
