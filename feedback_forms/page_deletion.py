"""Pages that residents' submissions point to are never deleted from the admin.

Deleting a program page (or its evaluation form, or the needs form) would not delete the
evaluations and needs sent through it: their links would be set to nothing, and the program's
record in the results and the staff listings would lose its program. An editor who wants a
program gone from the site unpublishes it instead; the refusal says so and how many
submissions are at stake. Both of Wagtail's ways to delete pages are covered: the page's own
delete view (`before_delete_page`) and the bulk action (`before_bulk_action`).
"""

from collections.abc import Iterable

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail.models import Page

from cms.core.same_site import same_site_url
from feedback_forms.models import Evaluation, Need


def submissions_sent_through(pages: Iterable[Page]) -> int:
    """Evaluations and needs linked to any of these pages or a page below them."""
    subtree = Q()
    for page in pages:
        subtree |= Q(path__startswith=page.path)
    if not subtree:
        return 0
    page_ids = Page.objects.filter(subtree).values("pk")
    linked = Q(program__in=page_ids) | Q(form_page__in=page_ids)
    return Evaluation.objects.filter(linked).count() + Need.objects.filter(linked).count()


def refusal(request: HttpRequest, pages: list[Page], count: int) -> HttpResponse:
    """Back to where the editor came from, with what to do instead."""
    messages.error(
        request,
        ngettext(
            "Not deleted: %(count)s evaluation or need was sent through this page or a page "
            "below it, and its record must keep its program. Unpublish the page instead.",
            "Not deleted: %(count)s evaluations and needs were sent through this page or the "
            "pages below it, and their record must keep its program. Unpublish the page instead.",
            count,
        )
        % {"count": count},
    )
    parent = pages[0].get_parent() if len(pages) == 1 else None
    back = same_site_url(request, request.META.get("HTTP_REFERER"))
    if not back and parent:
        # No referrer, or another site's: never send the editor off this site.
        back = reverse("wagtailadmin_explore", args=[parent.pk])
    return HttpResponseRedirect(back or reverse("wagtailadmin_home"))


def refuse_deleting_pages_with_submissions(request: HttpRequest, page: Page) -> HttpResponse | None:
    """`before_delete_page`: runs on the confirmation page and on the confirming POST alike."""
    count = submissions_sent_through([page])
    return refusal(request, [page], count) if count else None


def refuse_bulk_deleting_pages_with_submissions(
    request: HttpRequest, action_type: str, objects: list, action: object
) -> HttpResponse | None:
    """`before_bulk_action` for Wagtail's page "delete" bulk action."""
    pages = [item for item in objects if isinstance(item, Page)]
    if action_type != "delete" or not pages:
        return None
    count = submissions_sent_through(pages)
    return refusal(request, pages, count) if count else None
