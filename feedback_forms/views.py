"""The resident's journey (GOV.UK pattern): questions -> check your answers -> send.

The confirmation, tracking and invitation pages are in `feedback_forms.tracking_views`, the
failure pages (CSRF, unreadable request) in `feedback_forms.failure_views`.

The journey keeps no server-side state between steps: the check-answers page carries the answers
in hidden fields and everything is validated again on submit, so the personal number exists only
in the resident's browser until it is hashed at the moment of submission, and a lost session can
never lose a submission. Every page of the journey that carries answers is sent with
``Cache-Control: no-store, private``: the personal number is in it.

Protection (README, "No oracle" and "Abuse protection"): the time-trap token issued when the
form is first shown travels unchanged through every step, so "Change" never restarts it; it is
checked on "Continue" and again on "Send", and spent by the submission it sends. Only "Send"
counts against the rate limits, always, before anything about the personal number is looked
at; validation never looks at the beneficiary list or earlier evaluations. The order of these
guards is `feedback_forms.pipeline`'s: this module binds the form and words the refusals.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from cms.core import page_cache
from cms.core.client_address import client_ip
from cms.core.errors import note_stored
from cms.core.personal_numbers import canonical_digits
from feedback_forms.form_classes import form_class_for
from feedback_forms.forms import (
    INVITATION_FIELD,
    MSG_INVITATION_NOT_USABLE,
    SystemQuestionsForm,
)
from feedback_forms.intake import IntakeResult, find_by_idempotency_key, submit
from feedback_forms.models import Evaluation, Need
from feedback_forms.pipeline import (
    Attempt,
    Guard,
    Refusal,
    Replayed,
    Route,
    TokenAlreadySpent,
    run,
)
from feedback_forms.protection import (
    HONEYPOT_FIELD_NAME,
    RateLimitResult,
    TokenCheck,
    check_form_token,
    issue_form_token,
    retry_after_minutes,
    spend_form_token,
)
from feedback_forms.sent_by_browser import remember_sent

if TYPE_CHECKING:
    from feedback_forms.form_classes import NeedPhotoMixin
    from feedback_forms.models.pages import FeedbackFormPage

JOURNEY_FIELDS = ("idempotency_key", "form_token", HONEYPOT_FIELD_NAME)
NOT_CARRIED = {"csrfmiddlewaretoken", "action", "form_token", "idempotency_key"}


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
    if name == INVITATION_FIELD:
        return "•" * 6 + str(value)[-2:]
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
    answers = []
    for field in form:
        if field.is_hidden:
            continue
        if field.name == "photo":
            # Only the web needs form with a photo (NeedPhotoMixin) has a "photo" field.
            has_photo = cast("NeedPhotoMixin", form).has_photo()
            value = _("Attached") if has_photo else _("Not answered")
            answers.append(Answer(field.name, str(field.label), value))
            continue
        answers.append(Answer(field.name, str(field.label), displayed_value(field)))
    return answers


def keep_photo(form: SystemQuestionsForm) -> str | None:
    """A photo chosen on this step is stored as pending; its token replaces the old one."""
    from feedback_forms.photos import store_pending

    photo = getattr(form, "cleaned_data", {}).get("photo")
    return store_pending(photo) if photo else None


def carried_data(request: HttpRequest, photo_token: str | None = None) -> list[tuple[str, str]]:
    """The raw answers to carry as hidden fields on the check-answers page."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_CARRIED and not (photo_token and name == "photo_token")
        for value in values
    ]
    if photo_token:
        carried.append(("photo_token", photo_token))
    return carried


def render_questions(
    request: HttpRequest,
    page: "FeedbackFormPage",
    form: SystemQuestionsForm,
    *,
    show_errors: bool = True,
    notice: str = "",
    status: int = 200,
    form_token: str | None = None,
) -> TemplateResponse:
    context = page.get_context(request)
    form.errors_shown = show_errors and form.is_bound
    context.update(
        form=form,
        show_errors=form.errors_shown,
        notice=notice,
        honeypot_name=HONEYPOT_FIELD_NAME,
        **journey_context(request, form_token=form_token),
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


def render_check_answers(
    request: HttpRequest,
    page: "FeedbackFormPage",
    form: SystemQuestionsForm,
    *,
    notice: str = "",
    status: int = 200,
    form_token: str | None = None,
    photo_token: str | None = None,
) -> TemplateResponse:
    context = page.get_context(request)
    context.update(
        form=form,
        answers=answers_for_review(form),
        carried=carried_data(request, photo_token),
        notice=notice,
        **journey_context(request, form_token=form_token),
    )
    return TemplateResponse(request, "feedback_forms/check_answers.html", context, status=status)


def render_current_step(
    request: HttpRequest, page: "FeedbackFormPage", form: SystemQuestionsForm, **kwargs: Any
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


def serve_form_page(
    page: "FeedbackFormPage", request: HttpRequest, preview: bool = False
) -> HttpResponse:
    """One URL, three steps, chosen by the submit button the resident pressed."""
    return private_page(journey_step(page, request, preview))


def journey_step(page: "FeedbackFormPage", request: HttpRequest, preview: bool) -> HttpResponse:
    if request.method == "POST" and not preview:
        page.keep_for_request()  # Wagtail's routing made this instance for this request
    form_class = form_class_for(page, photos=True)
    if request.method != "POST":
        initial = {}
        if page.form_kind == "evaluation" and (code := request.GET.get("code", "")[:40]):
            initial[INVITATION_FIELD] = code
        elif not preview:
            # The same questions for every visitor: may be kept with the visitor's values cut out.
            page_cache.allow_form_shell(page, request)
        return render_questions(request, page, form_class(page=page, initial=initial))

    form = form_class(request.POST, request.FILES, page=page)
    action = request.POST.get("action", "review")
    if action.startswith("change:"):
        focus = action.removeprefix("change:")
        if focus in form.fields:
            form.fields[focus].widget.attrs["autofocus"] = True
        return render_questions(request, page, form, show_errors=False)
    sending = action == "submit" and not preview
    attempt = Attempt(
        route=Route.WEB if sending else Route.WEB_REVIEW,
        data=request.POST,
        ip=client_ip(request),
        page=page,
        idempotency_key=request.POST.get("idempotency_key"),
        validate=lambda: {} if form.is_valid() else form.errors,
    )
    if sending:
        attempt.store = lambda ran: store_answers(request, form, attempt, ran)
    answer = run(attempt)
    if answer is None:  # "Continue", or a preview's "Send": checked, nothing stored
        if action != "submit":
            return render_check_answers(request, page, form, photo_token=keep_photo(form))
        return render_check_answers(request, page, form, notice=_("Preview: nothing was stored."))
    if isinstance(answer, Refusal):
        return refused(request, page, form, answer)
    submission = answer.submission if isinstance(answer, Replayed) else answer.result.submission
    return sent(request, page, submission)


def sent(
    request: HttpRequest, page: "FeedbackFormPage", submission: "Evaluation | Need"
) -> HttpResponseRedirect:
    """Stored now or by an earlier click: this browser sees the confirmation."""
    note_stored(request, submission.reference)
    response = confirmation_redirect(page, submission)
    remember_sent(request, response, submission.reference)
    return response


def refused(
    request: HttpRequest, page: "FeedbackFormPage", form: SystemQuestionsForm, refusal: Refusal
) -> HttpResponse:
    """A guard's refusal as the journey's page: the resident's answers always kept."""
    if refusal.guard is Guard.RATE_LIMIT and refusal.limit is not None:
        return rate_limited(request, page, form, refusal.limit)
    if refusal.guard is Guard.HONEYPOT:
        return render_questions(request, page, form, notice=refusal.message, status=400)
    if refusal.guard is Guard.TIME_TRAP and refusal.token is not None:
        return render_current_step(
            request, page, form, notice=token_notice(refusal.token), status=400
        )
    if refusal.code == "invitation_spent":
        form.add_error(INVITATION_FIELD, MSG_INVITATION_NOT_USABLE)
        return render_questions(request, page, form, status=400)
    if refusal.code == "token_spent":
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
    # VALIDATION: answers changed on the way (the check-answers page was edited), or a step
    # with something to correct.
    return render_questions(request, page, form)


def confirmation_redirect(
    page: "FeedbackFormPage", submission: "Evaluation | Need"
) -> HttpResponseRedirect:
    url = page.url + page.reverse_subpage("confirmation", args=[submission.reference])
    return HttpResponseRedirect(url, status=303)


def already_submitted(
    request: HttpRequest, page: "FeedbackFormPage"
) -> HttpResponseRedirect | None:
    """A resent "Send" whose first click was stored meanwhile gets the first result."""
    existing = find_by_idempotency_key(request.POST.get("idempotency_key"))
    if existing is not None and existing.form_page_id == page.canonical_form.pk:
        return sent(request, page, existing)
    return None


def rate_limited(
    request: HttpRequest,
    page: "FeedbackFormPage",
    form: SystemQuestionsForm,
    limit: RateLimitResult,
) -> TemplateResponse:
    minutes = retry_after_minutes(limit)
    notice = _(
        "Too many forms were sent from here. Your answers are kept on this page: try again in %(minutes)s minutes."
    ) % {"minutes": minutes}
    response = render_current_step(request, page, form, notice=notice, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


def store_answers(
    request: HttpRequest, form: SystemQuestionsForm, attempt: Attempt, ran: Callable[[str], None]
) -> IntakeResult:
    """`Guard.STORE` of the journey: the page's token and the submission, stored together."""
    key = journey_context(request)["idempotency_key"]
    token = request.POST.get("form_token", "")

    def spend_token() -> None:
        # Two sends with one token (a replayed page) cannot both store: spent in the insert's
        # transaction, so a lost race leaves nothing spent.
        if not spend_form_token(token, savepoint=False):  # False rolls all of this back
            raise TokenAlreadySpent

    return submit(
        form,
        idempotency_key=key,
        keep_repeats=True,
        # the POST's key, looked up by `Guard.RESEND`, is the one stored
        key_looked_up=attempt.key_is_new and key == request.POST.get("idempotency_key"),
        ran=ran,
        first_in_transaction=spend_token,
    )
