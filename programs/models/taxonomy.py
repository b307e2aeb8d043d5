"""Reference data: categories, City Hall services, administrative units and settlements.

Each is one row with its Georgian and English names side by side, so that reports group by one
key whatever language the reader uses. Loaded from data files by the demo-data command and
corrected by staff in the admin, never hard-coded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.core.i18n import localized
from programs.querysets import SettlementQuerySet


class NamedReference(index.Indexed, models.Model):
    """Common shape of reference rows: a stable code, both names, and an explicit order."""

    name_ka = models.CharField(_("name (Georgian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("name_ka"), FieldPanel("name_en"), FieldPanel("sort_order")]
    search_fields = [
        index.SearchField("name_ka"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_ka"),
        index.AutocompleteField("name_en"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name_ka"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ProgramCategory(NamedReference):
    """What a program is about (social, youth, infrastructure, ...); needs are filed under one."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)

    panels = [FieldPanel("slug"), *NamedReference.panels]

    class Meta(NamedReference.Meta):
        verbose_name = _("program category")
        verbose_name_plural = _("program categories")


class MunicipalService(NamedReference):
    """A City Hall service (სამსახური): runs programs and answers the submissions routed to it."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="municipal_services",
        verbose_name=_("representatives"),
        help_text=_("Staff who review and answer this service's submissions."),
    )

    panels = [
        FieldPanel("slug"),
        *NamedReference.panels,
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("representatives"),
    ]

    class Meta(NamedReference.Meta):
        verbose_name = _("municipal service")
        verbose_name_plural = _("municipal services")


class AdministrativeUnit(NamedReference):
    """One of the municipality's administrative units (ადმინისტრაციული ერთეული)."""

    code = models.CharField(_("code"), max_length=10, unique=True)

    panels = [FieldPanel("code"), *NamedReference.panels]

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")


class Settlement(NamedReference):
    """A city or village inside an administrative unit."""

    class Kind(models.TextChoices):
        CITY = "city", _("city")
        VILLAGE = "village", _("village")

    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("administrative unit"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    # The reference data files' key (e.g. "02-03"): names can be corrected by staff without the
    # next `load_reference_data` taking the corrected row for a new one. Blank for rows staff add.
    code = models.CharField(_("code"), max_length=20, blank=True)

    objects = SettlementQuerySet.as_manager()

    panels = [FieldPanel("unit"), FieldPanel("code"), *NamedReference.panels, FieldPanel("kind")]

    class Meta:
        ordering = ["unit__code", "name_ka"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_ka"], name="unique_settlement_per_unit"),
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unique_settlement_code"
            ),
        ]
