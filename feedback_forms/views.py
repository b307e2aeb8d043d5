"""The resident's journey (GOV.UK pattern): questions -> check your answers -> confirmation,
and the tracking page.

The journey keeps no server-side state between steps: the check-answers page carries the answers
in hidden fields and everything is validated again on submit, so the personal number exists only
in the resident's browser until it is hashed at the moment of submission, and a lost session can
never lose a submission.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from feedback_forms.forms import SystemQuestionsForm, form_class_for
from feedback_forms.intake import DuplicateEvaluation, find_by_idempotency_key, submit
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    TokenCheck,
    check_form_token,
    check_submission_rate,
    client_ip,
    get_rate_limiter,
    honeypot_triggered,
    issue_form_token,
)
from feedback_forms.references import normalise_reference

JOURNEY_FIELDS = ("idempotency_key", "form_token", HONEYPOT_FIELD_NAME)
NOT_CARRIED = {"csrfmiddlewaretoken", "action", "form_token", "idempotency_key"}
TRACK_LOOKUPS_PER_HOUR = 60


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    value: str


def journey_context(request: HttpRequest) -> dict[str, str]:
    """Hidden fields that travel through the steps: the retry key and a fresh time-trap token."""
    key = request.POST.get("idempotency_key", "")
    try:
        key = uuid.UUID(key).hex
    except ValueError:
        key = uuid.uuid4().hex
    return {"idempotency_key": key, "form_token": issue_form_token()}


def displayed_value(field: forms.BoundField) -> str:
    """How an answer reads on the check-answers page."""
    name, value = field.name, field.form.cleaned_data.get(field.name)
    if name == "personal_number":
        digits = "".join(char for char in str(value) if char.isdigit())
        return "•" * 9 + digits[-2:]
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value in (None, "", []):
        return _("Not answered")
    if hasattr(value, "strftime"):
        if name == "used_on":
            return value.strftime("%m.%Y")
        return value.strftime("%d.%m.%Y")
    choices = dict(getattr(field.field, "choices", []) or [])
    if isinstance(field.field, forms.ModelChoiceField):
        return field.field.label_from_instance(value)
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def answers_for_review(form: SystemQuestionsForm) -> list[Answer]:
    return [Answer(field.name, str(field.label), displayed_value(field)) for field in form]


def carried_data(request: HttpRequest) -> list[tuple[str, str]]:
    """The raw answers to carry as hidden fields on the check-answers page."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_CARRIED
        for value in values
    ]


def render_questions(
    request: HttpRequest,
    page,
    form: SystemQuestionsForm,
    *,
    show_errors: bool = True,
    notice: str = "",
    status: int = 200,
) -> TemplateResponse:
    context = page.get_context(request)
    context.update(
        form=form,
        show_errors=show_errors and form.is_bound,
        notice=notice,
        honeypot_name=HONEYPOT_FIELD_NAME,
        **journey_context(request),
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


def render_check_answers(
    request: HttpRequest, page, form: SystemQuestionsForm, *, notice: str = "", status: int = 200
) -> TemplateResponse:
    context = page.get_context(request)
    context.update(
        form=form,
        answers=answers_for_review(form),
        carried=carried_data(request),
        notice=notice,
        **journey_context(request),
    )
    return TemplateResponse(request, "feedback_forms/check_answers.html", context, status=status)


def token_notice(check: TokenCheck) -> str:
    if check is TokenCheck.EXPIRED:
        return _(
            "The form was open for a long time, so please check your answers and send them again."
        )
    return _("Please check your answers and send the form again.")


def serve_form_page(page, request: HttpRequest, preview: bool = False) -> HttpResponse:
    """One URL, three steps, chosen by the submit button the resident pressed."""
    form_class = form_class_for(page)
    if request.method != "POST":
        return render_questions(request, page, form_class(page=page))

    form = form_class(request.POST, page=page)
    action = request.POST.get("action", "review")
    if action == "submit" and (done := already_submitted(request, page)) is not None:
        return done
    if action.startswith("change:"):
        focus = action.removeprefix("change:")
        if focus in form.fields:
            form.fields[focus].widget.attrs["autofocus"] = True
        return render_questions(request, page, form, show_errors=False)
    if honeypot_triggered(request.POST):
        return render_questions(
            request,
            page,
            form,
            notice=_("The form could not be sent. Please check your answers and send it again."),
            status=400,
        )
    if action == "review":
        check = check_form_token(request.POST.get("form_token"))
        if check is not TokenCheck.OK:
            return render_questions(request, page, form, notice=token_notice(check), status=400)
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, "duplicate"):
            # "Already evaluated" reveals something about a personal number: only within limits.
            limit = check_submission_rate(client_ip(request), form.person.digest)
            if not limit.allowed:
                return rate_limited(request, page, form, limit)
        return render_questions(request, page, form)
    if action != "submit":
        return render_check_answers(request, page, form)
    return submit_answers(request, page, form, preview)


def confirmation_redirect(page, submission) -> HttpResponseRedirect:
    url = page.url + page.reverse_subpage("confirmation", args=[submission.reference])
    return HttpResponseRedirect(url, status=303)


def already_submitted(request: HttpRequest, page) -> HttpResponseRedirect | None:
    """A resent "Send" (double click, flaky connection) gets the first result, not an error."""
    existing = find_by_idempotency_key(request.POST.get("idempotency_key"))
    if existing is not None and existing.form_page_id == page.canonical_form.pk:
        return confirmation_redirect(page, existing)
    return None


def rate_limited(request: HttpRequest, page, form, limit) -> TemplateResponse:
    minutes = max(1, limit.retry_after // 60)
    notice = _(
        "Too many forms were sent from here. Your answers are kept on this page: try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    if form.is_valid():
        response = render_check_answers(request, page, form, notice=notice, status=429)
    else:
        response = render_questions(request, page, form, notice=notice, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def submit_answers(
    request: HttpRequest, page, form: SystemQuestionsForm, preview: bool
) -> HttpResponse:
    check = check_form_token(request.POST.get("form_token"))
    if check in (TokenCheck.INVALID, TokenCheck.EXPIRED):
        return render_check_answers(request, page, form, notice=token_notice(check), status=400)
    if preview:
        return render_check_answers(request, page, form, notice=_("Preview: nothing was stored."))
    key = journey_context(request)["idempotency_key"]
    existing = find_by_idempotency_key(key)
    if existing is None:
        limit = check_submission_rate(client_ip(request), form.person.digest)
        if not limit.allowed:
            minutes = max(1, limit.retry_after // 60)
            notice = _(
                "Too many forms were sent from here. Your answers are kept on this page: try again in %(minutes)s minutes."
            ) % {"minutes": minutes}
            return render_check_answers(request, page, form, notice=notice, status=429)
        try:
            existing = submit(form, idempotency_key=key).submission
        except DuplicateEvaluation:
            form.add_error(
                None, _("You have already evaluated this program in this half of the year.")
            )
            return render_questions(request, page, form)
    done_url = page.url + page.reverse_subpage("confirmation", args=[existing.reference])
    return HttpResponseRedirect(done_url, status=303)


def confirmation(request: HttpRequest, page, reference: str) -> TemplateResponse:
    model = Evaluation if page.form_kind == "evaluation" else Need
    submission = model.objects.filter(
        reference=reference, form_page__translation_key=page.translation_key
    ).first()
    if submission is None:
        raise Http404
    context = page.get_context(request)
    context.update(submission=submission)
    return TemplateResponse(request, "feedback_forms/confirmation.html", context)


PUBLIC_STATUS_TEXT = {
    Status.NEW: gettext_lazy("Received"),
    Status.ASSIGNED: gettext_lazy("Passed to the responsible City Hall service"),
    Status.IN_REVIEW: gettext_lazy("Being reviewed by the responsible service"),
    Status.PLANNED: gettext_lazy("Answered: the work is planned"),
    Status.RESOLVED: gettext_lazy("Answered: resolved"),
    Status.DECLINED: gettext_lazy("Answered: cannot be done"),
    Status.SPAM: gettext_lazy("Closed"),
    Status.DUPLICATE: gettext_lazy("Closed as a duplicate of another submission"),
    Status.NOT_ELIGIBLE: gettext_lazy("Closed: the conditions of the rule were not met"),
}


@dataclass(frozen=True)
class TimelineStep:
    """One step of a need's public timeline; `message` is in the resident's language."""

    at: Any
    status: str
    status_text: str
    message: str = ""


def public_timeline(need: Need) -> list[TimelineStep]:
    """Everything the resident has been told, oldest first: received, then each change."""
    steps = [TimelineStep(need.created_at, "received", str(_("Received")))]
    for update in need.updates.all():
        steps.append(
            TimelineStep(
                update.at,
                update.status,
                str(PUBLIC_STATUS_TEXT[Status(update.status)]),
                update.message,
            )
        )
    return steps


def find_submission(reference: str) -> Evaluation | Need | None:
    return (
        Need.objects.select_related("category", "settlement", "administrative_unit")
        .filter(reference=reference)
        .first()
        or Evaluation.objects.filter(reference=reference).first()
    )


def track(request: HttpRequest) -> HttpResponse:
    """Anyone with a reference sees its status, dates and public answer; nothing personal."""
    raw = request.GET.get("reference", "").strip()[:40]
    context: dict[str, Any] = {"reference_input": raw}
    status = 200
    if raw:
        limit = get_rate_limiter().hit(f"track:{client_ip(request)}", TRACK_LOOKUPS_PER_HOUR, 3600)
        reference = normalise_reference(raw)
        if not limit.allowed:
            context["error"] = _("Too many look-ups from here. Please try again later.")
            status = 429
        elif reference is None:
            context["error"] = _("A reference has 8 letters and digits, for example K7QM-4XPA.")
        elif (submission := find_submission(reference)) is None:
            context["error"] = _("We found nothing with this reference. Check it and try again.")
            status = 404
        else:
            context["submission"] = submission
            context["is_need"] = isinstance(submission, Need)
            context["public_status"] = PUBLIC_STATUS_TEXT[Status(submission.status)]
            if context["is_need"]:
                context["timeline"] = public_timeline(submission)
            # The answer and the messages are in the resident's language (WCAG 3.1.2).
            if submission.language != (get_language() or "ka")[:2]:
                context["text_lang"] = submission.language
    return render(request, "feedback_forms/track.html", context, status=status)
