"""What makes every kept public page stale (cms.core.page_cache): Wagtail's and this app's part.

Other apps connect their own models (`programs.signals`, `reports.apps`): `cms.core` does not
import them.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.core.page_cache import invalidate, invalidate_on_signal

DISPATCH = "page_cache"


def page_saved_or_deleted(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    """Any page's save (a draft saves the page row too) or deletion, of any page type."""
    if isinstance(instance, Page):
        invalidate()


def connect_models(*models: Any) -> None:
    """Every save and deletion of these models makes the kept pages stale."""
    for model in models:
        uid = f"{DISPATCH}:{model._meta.label}"
        post_save.connect(invalidate_on_signal, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(invalidate_on_signal, sender=model, dispatch_uid=uid + ":delete")


def connect() -> None:
    from cms.core.models import MunicipalityContacts

    page_published.connect(invalidate_on_signal, dispatch_uid=f"{DISPATCH}:published")
    page_unpublished.connect(invalidate_on_signal, dispatch_uid=f"{DISPATCH}:unpublished")
    post_page_move.connect(invalidate_on_signal, dispatch_uid=f"{DISPATCH}:moved")
    post_save.connect(page_saved_or_deleted, dispatch_uid=f"{DISPATCH}:page_saved")
    post_delete.connect(page_saved_or_deleted, dispatch_uid=f"{DISPATCH}:page_deleted")
    connect_models(
        PageViewRestriction,
        Site,
        Locale,
        get_image_model(),
        get_document_model(),
        MunicipalityContacts,
    )
