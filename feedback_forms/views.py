"""The resident's journey (GOV.UK pattern): questions -> check your answers -> confirmation,
and the tracking page.

The journey keeps no server-side state between steps: the check-answers page carries the answers
in hidden fields and everything is validated again on submit, so the personal number exists only
in the resident's browser until it is hashed at the moment of submission, and a lost session can
never lose a submission. Every page of the journey that carries answers is sent with
``Cache-Control: no-store, private``: the personal number is in it.

Protection (README, "No oracle" and "Abuse protection"): the time-trap token issued when the
form is first shown travels unchanged through every step, so "Change" never restarts it; it is
checked on "Continue" and again on "Send", and spent by the submission it sends. Only "Send"
counts against the rate limits, always, before anything about the personal number is looked
at; validation never looks at the beneficiary list or earlier evaluations.
"""

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail.models import Page

from cms.core.personal_numbers import canonical_digits
from feedback_forms.forms import SystemQuestionsForm, form_class_for, next_period_start
from feedback_forms.intake import Outcome, find_by_idempotency_key, outcome_of, submit
from feedback_forms.models import Evaluation, Need, Status
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    TokenCheck,
    check_form_token,
    check_submission_attempt,
    client_ip,
    get_rate_limiter,
    honeypot_triggered,
    issue_form_token,
    spend_form_token,
)
from feedback_forms.references import normalise_reference

JOURNEY_FIELDS = ("idempotency_key", "form_token", HONEYPOT_FIELD_NAME)
NOT_CARRIED = {"csrfmiddlewaretoken", "action", "form_token", "idempotency_key"}
TRACK_LOOKUPS_PER_HOUR = 60
#: The references this browser session sent: only it sees their confirmation page.
SUBMITTED_SESSION_KEY = "feedback_forms.submitted"
REMEMBERED_SUBMISSIONS = 20
#: What a CSRF failure page does not put back into the form it re-renders.
NOT_KEPT_AFTER_CSRF_FAILURE = {"personal_number", HONEYPOT_FIELD_NAME, *NOT_CARRIED}


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    value: str


def carried_token(request: HttpRequest) -> str:
    """The time-trap token to carry to the next step.

    The token the page was first shown with, unchanged, so that neither "Change" nor a refused
    step ever restarts the trap. A missing or forged token gets a fresh one; an expired one
    (the page stayed open for hours) gets a fresh one that is already old enough, so the
    resident's next click is not refused as too fast.
    """
    token = request.POST.get("form_token", "")
    check = check_form_token(token)
    if check is TokenCheck.INVALID:
        return issue_form_token()
    if check is TokenCheck.EXPIRED:
        return issue_form_token(proven=True)
    return token


def journey_context(request: HttpRequest, *, form_token: str | None = None) -> dict[str, str]:
    """Hidden fields that travel through the steps: the retry key and the time-trap token."""
    key = request.POST.get("idempotency_key", "")
    try:
        key = uuid.UUID(key).hex
    except ValueError:
        key = uuid.uuid4().hex
    if form_token is None:
        form_token = carried_token(request) if request.method == "POST" else issue_form_token()
    return {"idempotency_key": key, "form_token": form_token}


def displayed_value(field: forms.BoundField) -> str:
    """How an answer reads on the check-answers page."""
    name, value = field.name, field.form.cleaned_data.get(field.name)
    if name == "personal_number":
        return "•" * 9 + canonical_digits(value)[-2:]
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
    form_token: str | None = None,
) -> TemplateResponse:
    context = page.get_context(request)
    context.update(
        form=form,
        show_errors=show_errors and form.is_bound,
        notice=notice,
        honeypot_name=HONEYPOT_FIELD_NAME,
        **journey_context(request, form_token=form_token),
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


def render_check_answers(
    request: HttpRequest,
    page,
    form: SystemQuestionsForm,
    *,
    notice: str = "",
    status: int = 200,
    form_token: str | None = None,
) -> TemplateResponse:
    context = page.get_context(request)
    context.update(
        form=form,
        answers=answers_for_review(form),
        carried=carried_data(request),
        notice=notice,
        **journey_context(request, form_token=form_token),
    )
    return TemplateResponse(request, "feedback_forms/check_answers.html", context, status=status)


def render_current_step(
    request: HttpRequest, page, form: SystemQuestionsForm, **kwargs: Any
) -> TemplateResponse:
    """Back to where the resident was, answers kept: check answers on "Send", else questions."""
    if request.POST.get("action") == "submit" and form.is_valid():
        return render_check_answers(request, page, form, **kwargs)
    return render_questions(request, page, form, **kwargs)


def token_notice(check: TokenCheck) -> str:
    if check is TokenCheck.EXPIRED:
        return _(
            "The form was open for a long time, so please check your answers and send them again."
        )
    return _("Please check your answers and send the form again.")


def private_page(response: HttpResponse) -> HttpResponse:
    """Never stored by a browser or proxy: these pages carry a resident's answers."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def serve_form_page(page, request: HttpRequest, preview: bool = False) -> HttpResponse:
    """One URL, three steps, chosen by the submit button the resident pressed."""
    return private_page(journey_step(page, request, preview))


def journey_step(page, request: HttpRequest, preview: bool) -> HttpResponse:
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
    # The time trap, on "Continue" and on "Send" alike.
    check = check_form_token(request.POST.get("form_token"))
    if check is not TokenCheck.OK:
        return render_current_step(request, page, form, notice=token_notice(check), status=400)
    if action != "submit":
        if not form.is_valid():
            return render_questions(request, page, form)
        return render_check_answers(request, page, form)
    return submit_answers(request, page, form, preview)


def confirmation_redirect(page, submission) -> HttpResponseRedirect:
    url = page.url + page.reverse_subpage("confirmation", args=[submission.reference])
    return HttpResponseRedirect(url, status=303)


def already_submitted(request: HttpRequest, page) -> HttpResponseRedirect | None:
    """A resent "Send" (double click, flaky connection) gets the first result, not an error."""
    existing = find_by_idempotency_key(request.POST.get("idempotency_key"))
    if existing is not None and existing.form_page_id == page.canonical_form.pk:
        remember_submission(request, existing)
        return confirmation_redirect(page, existing)
    return None


def rate_limited(request: HttpRequest, page, form, limit) -> TemplateResponse:
    minutes = max(1, limit.retry_after // 60)
    notice = _(
        "Too many forms were sent from here. Your answers are kept on this page: try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    response = render_current_step(request, page, form, notice=notice, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


class TokenAlreadySpent(Exception):
    """The page's token already sent a submission (with another retry key)."""


def submit_answers(
    request: HttpRequest, page, form: SystemQuestionsForm, preview: bool
) -> HttpResponse:
    """The final "Send": count the attempt, validate, spend the token and store, in that order."""
    if preview:
        if not form.is_valid():
            return render_questions(request, page, form)
        return render_check_answers(request, page, form, notice=_("Preview: nothing was stored."))
    limit = check_submission_attempt(client_ip(request), request.POST.get("personal_number"))
    if not limit.allowed:
        return rate_limited(request, page, form, limit)
    if not form.is_valid():  # answers changed on the way (the check-answers page was edited)
        return render_questions(request, page, form)
    key = journey_context(request)["idempotency_key"]
    token = request.POST.get("form_token", "")
    try:
        with transaction.atomic():
            # The token and the submission are stored together: two sends with one token
            # (a replayed page) cannot both store, and a lost race leaves nothing spent.
            if not spend_form_token(token):
                raise TokenAlreadySpent
            result = submit(form, idempotency_key=key, keep_repeats=True)
    except TokenAlreadySpent:
        if (done := already_submitted(request, page)) is not None:
            return done  # a double click whose first click has just been stored
        return render_check_answers(
            request,
            page,
            form,
            notice=_("Please check your answers and send the form again."),
            status=400,
            form_token=issue_form_token(),
        )
    remember_submission(request, result.submission)
    return confirmation_redirect(page, result.submission)


def remember_submission(request: HttpRequest, submission: Evaluation | Need) -> None:
    """This browser session sent this reference: only it sees the confirmation's details."""
    sent = [
        ref for ref in request.session.get(SUBMITTED_SESSION_KEY, []) if ref != submission.reference
    ]
    request.session[SUBMITTED_SESSION_KEY] = [*sent, submission.reference][-REMEMBERED_SUBMISSIONS:]


def sent_by_this_session(request: HttpRequest, reference: str) -> bool:
    return reference in request.session.get(SUBMITTED_SESSION_KEY, [])


def mask_email(address: str) -> str:
    """n•••@example.ge: enough for a resident to recognise their address, not to harvest it."""
    local, _at, domain = address.partition("@")
    if not domain:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def outcome_message(submission: Evaluation | Need) -> str:
    """How a stored submission counts, in words, for its sender only (page and API)."""
    outcome = outcome_of(submission)
    if outcome is Outcome.REPEAT:
        again = next_period_start(timezone.localdate(submission.created_at))
        return _(
            "You had already evaluated this program in this half of the year. The first "
            "evaluation is the one that counts: this one is kept with it, but it is not counted. "
            "You can evaluate the program again from %(date)s."
        ) % {"date": again.strftime("%d.%m.%Y")}
    if outcome is Outcome.AWAITING_VERIFICATION:
        return _(
            "This program counts evaluations only from people on its list of beneficiaries, and "
            "your personal number was not found on it. Your evaluation is kept, awaiting "
            "verification: it will be counted once the responsible City Hall service confirms "
            "that you used the program."
        )
    if isinstance(submission, Evaluation):
        return _("Thank you, your evaluation was received")
    return _("Thank you, your need was recorded")


def tracking_link(reference: str) -> str:
    return f"{reverse('track')}?{urlencode({'reference': reference})}"


def confirmation(request: HttpRequest, page, reference: str) -> HttpResponse:
    """The page after "Send", for the browser session that sent it.

    Anyone else with the reference (a shared link, a guessed URL) is sent to the public
    tracking page, which shows the status and nothing personal; no contact detail is ever
    printed, only a mask of the e-mail address to the sender.
    """
    if normalise_reference(reference) != reference or not sent_by_this_session(request, reference):
        return private_page(HttpResponseRedirect(tracking_link(reference[:40]), status=303))
    model = Evaluation if page.form_kind == "evaluation" else Need
    submission = model.objects.filter(
        reference=reference, form_page__translation_key=page.translation_key
    ).first()
    if submission is None:
        raise Http404
    context = page.get_context(request)
    context.update(
        submission=submission,
        outcome=outcome_of(submission).value,
        outcome_message=outcome_message(submission),
        masked_email=mask_email(submission.contact_email) if submission.contact_email else "",
        tracking_url=tracking_link(submission.reference),
    )
    response = TemplateResponse(request, "feedback_forms/confirmation.html", context)
    return private_page(response)


# --- Failure pages: the site's own, translated, and the resident's answers kept -------------


def form_page_for(request: HttpRequest):
    """The public form page a request was posted to, or None."""
    from feedback_forms.models.pages import FeedbackFormPage

    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.url_name != "wagtail_serve":
        return None
    path = match.kwargs.get("path", match.args[0] if match.args else "")
    page = Page.find_for_request(request, path)
    page = page.specific if page is not None else None
    if not isinstance(page, FeedbackFormPage) or not page.live:
        return None
    return page


def kept_answers(data: QueryDict) -> QueryDict:
    kept = data.copy()
    for name in NOT_KEPT_AFTER_CSRF_FAILURE:
        kept.pop(name, None)
    return kept


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the security check refused a POST (an expired or blocked cookie).

    On a public form the questions come back with the resident's answers, except the personal
    number (a page made for a forged request should not carry it), and say what happened; the
    new page sets a fresh security cookie, so "Continue" works. Elsewhere, a translated page.
    """
    page = form_page_for(request) if request.method == "POST" else None
    if page is None:
        return private_page(render(request, "403_csrf.html", status=403))
    form = form_class_for(page)(kept_answers(request.POST), page=page)
    notice = _(
        "For your security the form was not sent: the page was open for a long time, or your "
        "browser did not send this site's cookie. Your answers are kept below, except your "
        "personal number: enter it again and press Continue. If this happens again, allow "
        "cookies for this site."
    )
    response = render_questions(request, page, form, show_errors=False, notice=notice, status=403)
    return private_page(response.render())


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a request the server could not read (too many fields, a malformed body).

    Nothing of it can be read back, so the page says what happened and how to get back to the
    answers: the browser's Back button keeps what was typed into a form.
    """
    page = form_page_for(request)
    context = {"form_url": page.url if page is not None else ""}
    return private_page(render(request, "400.html", context, status=400))


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
