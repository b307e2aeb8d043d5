"""The resident's "is it fixed?" page: opened from the e-mailed link, no sign-in, one answer.

A wrong or mangled link is "not found" (404), a used or expired one "gone" (410): each says so
in the page's language, and nothing about the need is shown for them.
"""

from typing import TYPE_CHECKING, cast

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from feedback_forms.followup import CheckProblem, answer, find_check
from feedback_forms.public_status import PUBLIC_STATUS_TEXT
from feedback_forms.tracking_views import tracking_link
from feedback_forms.views import private_page

if TYPE_CHECKING:
    from feedback_forms.models import Status

PROBLEMS = {
    "unknown": (
        404,
        _(
            "This link is not valid. Check that you opened the whole link from the e-mail or the SMS."
        ),
    ),
    "used": (410, _("This link was already used: your answer is recorded. Thank you.")),
    "expired": (
        410,
        _("This link has expired. If the problem is not fixed, please record a new need."),
    ),
}


class FixAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Is the problem fixed?"),
        choices=[("yes", _("Yes, it is fixed")), ("no", _("No, it is not fixed"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose “yes” or “no”.")},
    )
    reason = forms.CharField(
        label=_("If not, what is still wrong?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Your words go back to the responsible service and on the public timeline."),
    )

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data  # Form.clean returns cleaned_data
        if cleaned.get("answer") == "no" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Tell us what is still wrong, so the service can act."))
        return cleaned


def problem_page(request: HttpRequest, code: str) -> HttpResponse:
    status, message = PROBLEMS[code]
    response = render(
        request, "feedback_forms/is_it_fixed.html", {"problem": message}, status=status
    )
    return private_page(response)


@require_http_methods(["GET", "POST"])
def is_it_fixed(request: HttpRequest, token: str) -> HttpResponse:
    try:
        check = find_check(token)
    except CheckProblem as problem:
        return problem_page(request, problem.code)
    form = FixAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fixed = form.cleaned_data["answer"] == "yes"
        try:
            outcome = answer(token, fixed, form.cleaned_data.get("reason", ""))
        except CheckProblem as problem:
            return problem_page(request, problem.code)
        context = {
            "done": True,
            "fixed": fixed,
            "reopened": outcome.reopened,
            "tracking_url": tracking_link(check.need.reference),
        }
        return private_page(render(request, "feedback_forms/is_it_fixed.html", context))
    context = {
        "form": form,
        "need": check.need,
        "public_status": PUBLIC_STATUS_TEXT.get(cast("Status", check.need.status), ""),
        "show_errors": request.method == "POST",
    }
    status = 400 if request.method == "POST" else 200
    return private_page(render(request, "feedback_forms/is_it_fixed.html", context, status=status))
