"""The site's URLs with a throwaway API carrying only the open-data router, placed first at
/api/v1/, so the open-data tests run whether or not `cms.api_v1` mounts the router yet."""

from django.urls import path
from ninja import NinjaAPI

from cms.urls import urlpatterns as site_urlpatterns
from feedback_forms.api_support import EscapedJSONRenderer, register_error_handlers
from reports.api import router

api = NinjaAPI(
    title="Open data (tests)",
    version="open-data-test",
    urls_namespace="reports-test",
    renderer=EscapedJSONRenderer(),
)
register_error_handlers(api)
api.add_router("/", router)

urlpatterns = [path("api/v1/", api.urls), *site_urlpatterns]
