"""Serving needs' photos: to staff of the need's service (scoped like every admin view, and
audited), and to the public only once staff published the photo of a need that is public."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from cms.core.typing import AuthenticatedRequest
from feedback_forms.models import HIDDEN_STATUSES, Need, NeedPhoto
from feedback_forms.permissions import submissions_for
from feedback_forms.workflow import log_view

LOG_PHOTO_PUBLISH = "feedback_forms.photo_publish"


def photo_response(photo: NeedPhoto) -> HttpResponseBase:
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def staff_photo(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The photo of a need the staff member may see; another service's need is a 404."""
    need = get_object_or_404(submissions_for(request.user, Need, "view"), pk=pk)
    photo = NeedPhoto.objects.filter(need=need).first()
    if photo is None:
        raise Http404
    log_view(need, request.user)
    response = photo_response(photo)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def publish_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Show (or hide again) the photo on the public tracking page: who may change the need."""
    need = get_object_or_404(submissions_for(request.user, Need, "change"), pk=pk)
    photo = get_object_or_404(NeedPhoto, need=need)
    photo.published = request.POST.get("published") == "1"
    photo.save(update_fields=["published"])
    log(
        instance=need,
        action=LOG_PHOTO_PUBLISH,
        user=request.user,
        data={"published": photo.published},
    )
    messages.success(
        request,
        _("The photo is shown on the public tracking page.")
        if photo.published
        else _("The photo is no longer shown publicly."),
    )
    return redirect(request.POST.get("next") or "wagtailsnippets_feedback_forms_need:inspect", pk)


def public_photo(request: HttpRequest, reference: str) -> HttpResponseBase:
    photo = (
        NeedPhoto.objects.filter(need__reference=reference[:9], published=True)
        .exclude(need__status__in=HIDDEN_STATUSES)
        .first()
    )
    if photo is None:
        raise Http404
    response = photo_response(photo)
    response["Cache-Control"] = "public, max-age=300"
    return response
