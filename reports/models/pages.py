"""Public pages of the results cycle: published results and the accountability page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cms.core.models import BasePage


class ResultsPage(RoutablePageMixin, BasePage):
    """Published results reports (Art. 4.4-4.6) and program ratings with enough responses."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/results_page.html"

    class Meta:
        verbose_name = _("results page")

    @path("", name="index")
    def index_route(self, request):
        from reports.public import results_index

        return results_index(self, request)

    @path("<str:code>/", name="report")
    def report_route(self, request, code: str):
        from reports.public import results_detail

        return results_detail(self, request, code)


class AccountabilityPage(BasePage):
    """The mayor's budget commitments and their progress (Art. 4.7), in public."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/accountability_page.html"

    class Meta:
        verbose_name = _("accountability page")

    def get_context(self, request, *args, **kwargs):
        from reports.public import accountability_context

        context = super().get_context(request, *args, **kwargs)
        context.update(accountability_context(request))
        return context
