"""Failure pages: the site's own, translated, and the resident's answers kept."""

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from wagtail.models import Page

from feedback_forms.form_classes import form_class_for
from feedback_forms.protection import HONEYPOT_FIELD_NAME
from feedback_forms.views import NOT_CARRIED, private_page, render_questions

if TYPE_CHECKING:
    from feedback_forms.models.pages import FeedbackFormPage

#: What a CSRF failure page does not put back into the form it re-renders.
NOT_KEPT_AFTER_CSRF_FAILURE = {"personal_number", HONEYPOT_FIELD_NAME, *NOT_CARRIED}


def form_page_for(request: HttpRequest) -> "FeedbackFormPage | None":
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
    form = form_class_for(page, photos=True)(kept_answers(request.POST), page=page)
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
