"""Wagtail's page API (v2) for a front-end on another origin: `html_url` names the public site
(PUBLIC_BASE_URL), not the Site record's hostname."""

from typing import Any

from django.urls import NoReverseMatch
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.views import PagesAPIViewSet

from cms.core.public_urls import public_url


class PublicHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page: Any) -> str | None:
        try:
            parts = page.get_url_parts()
        except NoReverseMatch:
            return None
        return public_url(parts[2]) if parts else None


class PublicPageSerializer(PageSerializer):
    html_url = PublicHtmlUrlField(read_only=True)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer
