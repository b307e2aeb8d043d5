"""`/sitemap.xml` for both languages, the robots.txt that points to it, and security.txt.

Wagtail's sitemap lists the descendants of the site's root page, which is the Georgian tree;
the English pages live under the root's translation, a sibling tree, so they are added here.
Every URL is absolute (the site's host name), as search engines require.
"""

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from cms.core.municipality import data_set


class BilingualSitemap(Sitemap):
    def items(self) -> QuerySet[Page]:
        root = self.get_wagtail_site().root_page
        in_a_tree = Q(path__startswith=root.path)
        for translation in root.get_translations():
            in_a_tree |= Q(path__startswith=translation.path)
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


SITEMAPS = {"pages": BilingualSitemap}


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(max_age=3600, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: who to tell about a vulnerability, from the municipality's data set."""
    deployment = data_set()["deployment"]
    lines = [
        f"Contact: {deployment['security_contact']}",
        f"Expires: {deployment['security_expires']}",
        "Preferred-Languages: ka, en",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
