"""URL map: admin, API and documents without a language prefix; public pages Georgian at "/"
and English under "/en/"."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.api_v1 import api_v1
from feedback_forms import views as feedback_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v1/", api_v1.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("track/", feedback_views.track, name="track"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# The site's own translated pages (the journey's answers are kept where they can be).
handler400 = "feedback_forms.views.bad_request"
