"""After "Send": the confirmation for the browser that sent it, public tracking by reference, and
the link in an invitation."""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cms.core.client_address import client_ip
from feedback_forms.intake import outcome_of
from feedback_forms.models import HIDDEN_STATUSES, Evaluation, Need, NeedPhoto, Status
from feedback_forms.protection import get_rate_limiter
from feedback_forms.public_status import (
    PUBLIC_STATUS_TEXT,
    TRACK_LOOKUPS_PER_HOUR,
    find_submission,
    outcome_message,
    public_timeline,
)
from feedback_forms.references import normalise_reference
from feedback_forms.sent_by_browser import sent_by_this_browser
from feedback_forms.views import private_page

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage


def mask_email(address: str) -> str:
    """n•••@example.ge: enough for a resident to recognise their address, not to harvest it."""
    local, _at, domain = address.partition("@")
    if not domain:
        return "•••"
    return f"{local[:1]}•••@{domain}"


def tracking_link(reference: str) -> str:
    return f"{reverse('track')}?{urlencode({'reference': reference})}"


def confirmation(request: HttpRequest, page: "FeedbackFormPage", reference: str) -> HttpResponse:
    """The page after "Send", for the browser that sent it (`sent_by_browser`).

    Anyone else with the reference (a shared link, a guessed URL) is sent to the public
    tracking page, which shows the status and nothing personal; no contact detail is ever
    printed, only a mask of the e-mail address to the sender.
    """
    if normalise_reference(reference) != reference or not sent_by_this_browser(request, reference):
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
            if isinstance(submission, Need):
                context["timeline"] = public_timeline(submission)
                photo = NeedPhoto.objects.filter(need=submission, published=True).first()
                if photo is not None and submission.status not in HIDDEN_STATUSES:
                    context["photo"] = photo
                    context["photo_url"] = reverse("need_photo", args=[submission.reference])
            # The answer and the messages are in the resident's language (WCAG 3.1.2).
            if submission.language != (get_language() or "ka")[:2]:
                context["text_lang"] = submission.language
    response = render(request, "feedback_forms/track.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(limit.retry_after)
    return response


INVITATION_LOOKUPS_PER_HOUR = 30


def invitation(request: HttpRequest, code: str) -> HttpResponse:
    """The link in an invitation: to the program's evaluation form with the code filled in.

    A code that cannot be used (mistyped, used, expired) gets a translated page that says so
    and how to evaluate anyway; look-ups are limited per address, so codes cannot be guessed.
    """
    from programs.invitations import usable

    limit = get_rate_limiter().hit(
        f"invitation:{client_ip(request)}", INVITATION_LOOKUPS_PER_HOUR, 3600
    )
    found = usable(code) if limit.allowed else None
    form = None
    if found is not None:
        program = found.program.specific
        language = (get_language() or "ka")[:2]
        translated = program.get_translations(inclusive=True).filter(locale__language_code=language)
        program = (translated.first() or program).specific
        form = program.attached_forms().get("evaluation")
    if form is None:
        status = 429 if not limit.allowed else 404
        return private_page(
            render(request, "feedback_forms/invitation_invalid.html", status=status)
        )
    url = f"{form.url}?{urlencode({'code': code})}"
    return private_page(HttpResponseRedirect(url, status=303))
