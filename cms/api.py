"""The headless API: Wagtail's read-only page API (v2).

Apps register their own endpoints here so that `cms.urls` has one place to include.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
