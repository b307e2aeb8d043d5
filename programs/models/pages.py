"""Program pages (Art. 2.1): what the municipality offers, and where residents evaluate it."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index

from cms.core.i18n import canonical_page
from cms.core.models import BasePage
from programs.blocks import ProgramStreamBlock
from programs.querysets import ProgramPageQuerySet
from programs.serializers import SlugReferenceField, UnitsField

PROGRAMS_PER_PAGE = 10


class ProgramIndexPage(BasePage):
    """Lists the programs below it with filters and search that work without JavaScript."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["programs.ProgramPage"]
    max_count_per_parent = 1
    template = "pages/program_index_page.html"
    #: Only the unfiltered first page: any query string is served fresh.
    cache_for_visitors = True

    class Meta:
        verbose_name = _("program index page")

    def get_context(self, request, *args, **kwargs):
        from programs.filtering import ProgramFilterSet

        context = super().get_context(request, *args, **kwargs)
        programs = ProgramPage.objects.live().public().child_of(self).with_taxonomy()
        filters = ProgramFilterSet(request.GET or None, queryset=programs, request=request)
        paginator = Paginator(filters.qs.order_by("title"), PROGRAMS_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        context.update(
            filter_form=filters.form,
            programs=page_obj,
            result_count=paginator.count,
            query_string_without_page=filters.query_string_without_page(),
        )
        return context


class ProgramPage(BasePage):
    """One municipal program: the facts residents need, and its evaluation entry point.

    Facts that are the same in every language (category, service, budget, period, status,
    units) are edited on the Georgian page and copied to its translations on publish, so the
    English page can never disagree with the Georgian one.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    body = StreamField(ProgramStreamBlock(), blank=True, verbose_name=_("body"))
    category = models.ForeignKey(
        "programs.ProgramCategory",
        on_delete=models.PROTECT,
        null=True,
        related_name="programs",
        verbose_name=_("category"),
    )
    responsible_service = models.ForeignKey(
        "programs.MunicipalService",
        on_delete=models.PROTECT,
        null=True,
        related_name="programs",
        verbose_name=_("responsible service"),
    )
    budget_amount = models.DecimalField(
        _("budget (GEL)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_year = models.PositiveSmallIntegerField(_("budget year"), null=True, db_index=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    municipality_wide = models.BooleanField(
        _("covers the whole municipality"),
        default=False,
        help_text=_("Tick when the program is open to every administrative unit."),
    )
    administrative_units = ParentalManyToManyField(
        "programs.AdministrativeUnit",
        blank=True,
        related_name="programs",
        verbose_name=_("administrative units covered"),
    )

    #: Stems of the title, summary and body (programs.search), kept up to date on every save.
    search_terms = models.TextField(_("search terms"), blank=True, default="", editable=False)

    objects = PageManager.from_queryset(ProgramPageQuerySet)()

    #: Copied from the Georgian page to its translations whenever it is published.
    synchronized_fields = [
        "category",
        "responsible_service",
        "budget_amount",
        "budget_year",
        "start_date",
        "end_date",
        "status",
        "municipality_wide",
    ]

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("body"),
    ]
    facts_panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("responsible_service")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("budget_year")]),
        FieldPanel("budget_amount"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        MultiFieldPanel(
            [FieldPanel("municipality_wide"), FieldPanel("administrative_units")],
            heading=_("Where"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(facts_panels, heading=_("Program facts")),
            ObjectList(BasePage.promote_panels, heading=_("Promote")),
            ObjectList(BasePage.settings_panels, heading=_("Settings")),
        ]
    )

    parent_page_types = ["programs.ProgramIndexPage"]
    # Children are the evaluation and needs forms, which name this page type as their parent.
    template = "pages/program_page.html"
    cache_for_visitors = True

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("budget_year"),
        index.FilterField("category"),
        index.FilterField("locale"),
    ]

    api_fields = [
        APIField("summary"),
        APIField("category", serializer=SlugReferenceField(read_only=True)),
        APIField("responsible_service", serializer=SlugReferenceField(read_only=True)),
        APIField("administrative_units", serializer=UnitsField(read_only=True)),
        APIField("status"),
        APIField("budget_amount"),
        APIField("budget_year"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("municipality_wide"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("program page")
        verbose_name_plural = _("program pages")

    @property
    def canonical_program(self) -> "ProgramPage":
        """The Georgian page: submissions and beneficiary lists belong to it in any language."""
        return canonical_page(self)

    def save(self, *args, **kwargs):
        from programs.search import document_text, search_terms

        self.search_terms = search_terms(
            document_text(self.title, self.summary, self.body.get_prep_value())
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_terms"}
        return super().save(*args, **kwargs)

    def attached_forms(self) -> dict[str, Page]:
        """Live forms under this program keyed by their kind ("evaluation", "need"), so the
        template can show the entry points without this app knowing the form models."""
        forms = {}
        for child in self.get_children().live().public().specific():
            kind = getattr(child, "form_kind", "")
            if kind and kind not in forms:
                child._cached_parent_obj = self  # its get_parent() is this program, no query
                forms[kind] = child
        return forms

    def synchronize_facts(self) -> None:
        """Make every language show the Georgian page's facts.

        Publishing the Georgian page pushes its facts to the translations; publishing a
        translation pulls them back from the Georgian page, so an old English draft can never
        bring back an outdated status or budget.
        """
        source = self.canonical_program
        if source.pk == self.pk:
            targets = ProgramPage.objects.filter(translation_key=self.translation_key).exclude(
                pk=self.pk
            )
        else:
            targets = ProgramPage.objects.filter(pk=self.pk)
        targets.update(**{field: getattr(source, field) for field in self.synchronized_fields})
        unit_ids = list(source.administrative_units.values_list("pk", flat=True))
        for target in targets:
            target.administrative_units.set(unit_ids)
            target.save(clean=False, update_fields=["administrative_units"])
