"""The page editor survives Wagtail 8's autosave race (README, "Editing pages").

While an autosave request is still saving a new page, "Publish" can pass the form's slug check
and then meet the autosaved page when it is saved: Wagtail raises the model's slug ValidationError
from `add_child`/`save`, which is an uncaught 500. Here that error becomes what the editor needs:
a clear message and the page the autosave made, nothing published twice and nothing lost (the
autosaved draft holds the same content; the editor checks it and publishes again).
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page

EDITOR_VIEWS = {"wagtailadmin_pages:add", "wagtailadmin_pages:edit"}


class PageSaveRaceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if not isinstance(exception, ValidationError) or match is None:
            return None
        if match.view_name not in EDITOR_VIEWS or request.method != "POST":
            return None
        if "slug" not in getattr(exception, "error_dict", {}):
            return None
        target = saved_page_url(request, match.view_name, match.kwargs)
        if target is None:
            return None
        messages.error(
            request,
            _(
                "The page was not published: it was being saved automatically at the same "
                "moment, and its address (slug) is now taken by that saved draft. Your content "
                "is in the draft below. Check it and publish again."
            ),
        )
        return HttpResponseRedirect(target)


def saved_page_url(request: HttpRequest, view_name: str, kwargs: dict) -> str | None:
    """The editor of the page the slug belongs to: the autosaved one (create) or this one."""
    if view_name == "wagtailadmin_pages:edit":
        return reverse("wagtailadmin_pages:edit", args=[kwargs["page_id"]])
    parent = Page.objects.filter(pk=kwargs.get("parent_page_id")).first()
    if parent is None:
        return None
    sibling = parent.get_children().filter(slug=request.POST.get("slug", "")).first()
    if sibling is None:
        return reverse("wagtailadmin_explore", args=[parent.pk])
    return reverse("wagtailadmin_pages:edit", args=[sibling.pk])
