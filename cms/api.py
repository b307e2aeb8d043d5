"""The headless API: Wagtail's read-only page API (v2).

Apps' endpoints are registered here so that `cms.urls` has one place to include.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.v2.views import DocumentsAPIViewSet

from cms.core.headless import PublicPagesAPIViewSet
from programs.api import ProgramsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("programs", ProgramsAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
