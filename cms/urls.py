"""URL map: admin, API and documents without a language prefix; public pages Georgian at "/"
and English under "/en/"."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.api_v1 import api_v1
from cms.core.translations import page_not_translated
from feedback_forms import followup_views, photo_views, tracking_views
from home.sitemap import SITEMAPS, robots_txt, security_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v1/", api_v1.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("security.txt", security_txt),
    path("photos/<str:reference>/", photo_views.public_photo, name="need_photo"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("track/", tracking_views.track, name="track"),
    path("untranslated/<int:page_id>/", page_not_translated, name="page_not_translated"),
    path("is-it-fixed/<str:token>/", followup_views.is_it_fixed, name="is_it_fixed"),
    # The same page at a short address, for the SMS (one segment).
    path("f/<str:token>/", followup_views.is_it_fixed, name="fix_check_short"),
    path("e/<str:code>/", tracking_views.invitation, name="invitation"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

# The site's own translated pages (the journey's answers are kept where they can be).
handler400 = "feedback_forms.failure_views.bad_request"

handler500 = "cms.core.errors.server_error"
