"""Shared page plumbing and the municipality's site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from cms.core.i18n import localized


class BasePage(Page):
    """Every public page: adds an optional short summary used in listings and meta description."""

    summary = models.TextField(
        _("summary"), blank=True, max_length=400, help_text=_("One or two sentences for listings.")
    )

    content_panels = [*Page.content_panels, FieldPanel("summary")]

    class Meta:
        abstract = True


@register_setting(icon="site")
class MunicipalityContacts(BaseSiteSetting):
    """Contacts shown in every page footer; editable by staff without a deploy."""

    name_ka = models.CharField(
        _("name (Georgian)"), max_length=200, default="წყალტუბოს მუნიციპალიტეტის მერია"
    )
    name_en = models.CharField(
        _("name (English)"), max_length=200, default="Tskaltubo Municipality City Hall"
    )
    address_ka = models.CharField(_("address (Georgian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours_ka = models.CharField(_("opening hours (Georgian)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("name_ka"), FieldPanel("name_en")], heading=_("Name")),
        MultiFieldPanel([FieldPanel("address_ka"), FieldPanel("address_en")], heading=_("Address")),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("website"),
        MultiFieldPanel(
            [FieldPanel("opening_hours_ka"), FieldPanel("opening_hours_en")],
            heading=_("Opening hours"),
        ),
    ]

    class Meta:
        verbose_name = _("municipality contacts")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def address(self) -> str:
        return localized(self, "address")

    @property
    def opening_hours(self) -> str:
        return localized(self, "opening_hours")


class JobLock(models.Model):
    """The scheduler's lock on databases without advisory locks (SQLite): one row per lock,
    held by one process until it releases it or its lease runs out (a crashed holder)."""

    name = models.CharField(max_length=100, primary_key=True)
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job lock")
        verbose_name_plural = _("job locks")

    def __str__(self) -> str:
        return self.name
