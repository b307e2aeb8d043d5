"""The home page and plain content pages (about the platform, privacy notice, accessibility)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField

from cms.core.blocks import BaseStreamBlock
from cms.core.models import BasePage
from cms.core.routing import PathRoutingMixin


class HomePage(PathRoutingMixin, BasePage):
    """The root of each language's tree: says what the platform is for and where to start."""

    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    template = "pages/home_page.html"
    cache_for_visitors = True

    class Meta:
        verbose_name = _("home page")


class StandardPage(BasePage):
    """A plain content page such as the privacy notice or the accessibility statement."""

    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*BasePage.content_panels, FieldPanel("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    template = "pages/standard_page.html"
    cache_for_visitors = True

    class Meta:
        verbose_name = _("standard page")


TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


class PrivacyNoticePage(BasePage):
    """The privacy notice the Law of Georgia on Personal Data Protection (2023) asks for.

    Who is responsible and how to reach them, why and on what basis the data is processed, the
    rights and how to use them are the municipality's words, edited here and translated like any
    page. What is stored and for how long is not typed by anyone: the template lists what the
    platform stores, and the periods come from the settings the retention jobs use, so the
    notice cannot drift from what the system does. Every form's consent question links here.
    """

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    controller_name = models.CharField(_("controller"), max_length=200)
    controller_address = models.CharField(_("controller's address"), max_length=300)
    controller_email = models.EmailField(_("controller's e-mail"), blank=True)
    controller_phone = models.CharField(_("controller's phone"), max_length=50, blank=True)
    dpo_name = models.CharField(
        _("data protection officer"),
        max_length=200,
        blank=True,
        help_text=_("Name or position of the personal data protection officer."),
    )
    dpo_email = models.EmailField(_("data protection officer's e-mail"))
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=50, blank=True)
    purposes = RichTextField(_("purposes of processing"), features=TEXT_FEATURES)
    legal_basis = RichTextField(_("legal basis"), features=TEXT_FEATURES)
    recipients = RichTextField(
        _("who receives the data"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("City Hall services, the mayor, processors such as the hosting provider."),
    )
    retention_notes = RichTextField(
        _("retention of submissions"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_(
            "How long submissions without contact details are kept. The periods the system "
            "applies itself are shown automatically."
        ),
    )
    rights = RichTextField(_("your rights"), features=TEXT_FEATURES)
    requests_email = models.EmailField(_("e-mail for data protection requests"))
    requests_postal_address = models.TextField(_("postal address for data protection requests"))
    requests_notes = RichTextField(
        _("how requests are handled"), blank=True, features=TEXT_FEATURES
    )
    complaints = RichTextField(
        _("complaints"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("The Personal Data Protection Service of Georgia and how to reach it."),
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("controller_name"),
                FieldPanel("controller_address"),
                FieldPanel("controller_email"),
                FieldPanel("controller_phone"),
            ],
            heading=_("Who is responsible (controller)"),
        ),
        MultiFieldPanel(
            [FieldPanel("dpo_name"), FieldPanel("dpo_email"), FieldPanel("dpo_phone")],
            heading=_("Data protection officer"),
        ),
        FieldPanel("purposes"),
        FieldPanel("legal_basis"),
        FieldPanel("recipients"),
        FieldPanel("retention_notes"),
        FieldPanel("rights"),
        MultiFieldPanel(
            [
                FieldPanel("requests_email"),
                FieldPanel("requests_postal_address"),
                FieldPanel("requests_notes"),
            ],
            heading=_("Requests about your data"),
        ),
        FieldPanel("complaints"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "pages/privacy_notice_page.html"

    class Meta:
        verbose_name = _("privacy notice")

    def get_context(self, request, *args, **kwargs):
        from home.privacy import retention_periods

        context = super().get_context(request, *args, **kwargs)
        context["retention"] = retention_periods()
        return context

    @classmethod
    def for_locale(cls, locale) -> "PrivacyNoticePage | None":
        """The live notice in a language, else the default language's."""
        notices = cls.objects.live().public()
        return notices.filter(locale=locale).first() or notices.order_by("pk").first()
