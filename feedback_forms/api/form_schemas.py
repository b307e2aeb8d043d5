"""GET the forms: each form's questions, labelled in the request's language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Path
from wagtail.models import Locale, Page, Site

from cms.core.i18n import page_in_language
from cms.core.privacy import privacy_notice_url
from cms.core.public_urls import public_url
from cms.core.querysets import public
from feedback_forms.api.router import router
from feedback_forms.api.schemas import ErrorOut, FormOut
from feedback_forms.api_support import ApiError, questions_for
from feedback_forms.form_classes import form_class_for
from feedback_forms.models import NeedsFormPage
from feedback_forms.querysets import attached_form
from programs.models import ProgramPage

#: Wagtail's page ids are 32-bit (AutoField).
MAX_PAGE_ID = 2**31 - 1


def in_language(page: Page, language: str) -> Page:
    """The page's live translation in the language, else the page itself."""
    return page_in_language(page, language)


def program_form(page_id: int, kind: str, language: str) -> Page | None:
    """A live program's form of this kind, preferably in the request's language."""
    if not 0 < page_id <= MAX_PAGE_ID:
        return None  # databases refuse to compare with integers wider than the column
    program = public(ProgramPage.objects.live()).filter(pk=page_id).first()
    if program is None:
        return None
    for candidate in dict.fromkeys(
        [in_language(program, language), program, program.canonical_program]
    ):
        form = attached_form(candidate, kind)
        if form is not None:
            return form
    return None


def municipal_needs_form(request: HttpRequest | None, language: str) -> NeedsFormPage | None:
    """The live needs form under the site's home page (the default site without a request)."""
    if request is None:
        site = Site.objects.filter(is_default_site=True).first()
    else:
        site = Site.find_for_request(request)
    if site is None:
        return None
    home = site.root_page
    for candidate in dict.fromkeys([in_language(home, language), home]):
        form = public(NeedsFormPage.objects.live().child_of(candidate)).first()
        if form is not None:
            form._cached_parent_obj = candidate  # its get_parent() is this page, no query
            return form
    return None


def absolute_privacy_notice_url(locale: Locale | None = None) -> str:
    relative = privacy_notice_url(locale)
    return public_url(relative) if relative else ""


def form_schema(page: Page) -> dict[str, Any]:
    form = form_class_for(page, api=True)(page=page)
    parent = page.get_parent().specific
    program = parent if isinstance(parent, ProgramPage) else None
    privacy = absolute_privacy_notice_url(page.locale)
    questions = questions_for(form)
    for question in questions:
        if question["name"] == "consent" and privacy:
            note = _("The privacy notice: %(url)s") % {"url": privacy}
            question["help_text"] = f"{question['help_text']} {note}".strip()
    return {
        "kind": page.form_kind,
        "form_id": page.pk,
        "title": page.title,
        "intro": page.intro,
        "language": get_language(),
        "program": {"id": program.pk, "title": program.title} if program else None,
        "privacy_notice_url": privacy or None,
        "questions": questions,
    }


def no_form() -> ApiError:
    return ApiError(404, _("This form is not published."), code="not_found")


@router.get(
    "/programs/{page_id}/evaluation-form",
    response={200: FormOut, 404: ErrorOut, 422: ErrorOut},
    tags=["forms"],
    operation_id="get_evaluation_form",
    url_name="evaluation-form",
)
def evaluation_form(
    request: HttpRequest, page_id: int = Path(..., description="Program page id (ka or en).")
) -> dict[str, Any]:
    """The questions of a program's evaluation form, labelled in the Accept-Language."""
    page = program_form(page_id, "evaluation", get_language())
    if page is None:
        raise no_form()
    return form_schema(page)


@router.get(
    "/needs-form",
    response={200: FormOut, 404: ErrorOut},
    tags=["forms"],
    operation_id="get_needs_form",
    url_name="needs-form",
)
def needs_form(request: HttpRequest) -> dict[str, Any]:
    """The questions of the municipality-wide needs form."""
    page = municipal_needs_form(request, get_language())
    if page is None:
        raise no_form()
    return form_schema(page)


@router.get(
    "/programs/{page_id}/needs-form",
    response={200: FormOut, 404: ErrorOut, 422: ErrorOut},
    tags=["forms"],
    operation_id="get_program_needs_form",
    url_name="program-needs-form",
)
def program_needs_form(
    request: HttpRequest, page_id: int = Path(..., description="Program page id (ka or en).")
) -> dict[str, Any]:
    """The questions of a program's own needs form (send its id as `program` with the need)."""
    page = program_form(page_id, "need", get_language())
    if page is None:
        raise no_form()
    return form_schema(page)
