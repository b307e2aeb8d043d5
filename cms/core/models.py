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

    #: Kept whole for anonymous visitors until an editor changes something (cms.core.page_cache).
    #: Only for pages whose every shown value is covered by an invalidation signal and that
    #: carry no form that posts (a CSRF token is the visitor's own).
    cache_for_visitors = False

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's answer in one query instead of two (`cms.core.querysets`)."""
        from cms.core.querysets import view_restrictions

        return view_restrictions(self)


@register_setting(icon="site")
class MunicipalityContacts(BaseSiteSetting):
    """The municipality: its names in the forms the texts need, and the contacts in every
    footer. Editable by staff without a deploy; an empty name falls back to the selected data
    set's municipality.json (cms.core.municipality), which `setup_site` copies in."""

    code = models.SlugField(
        _("data set"), max_length=50, blank=True, help_text=_("The municipality's data set code.")
    )
    municipality_ka = models.CharField(
        _("municipality (Georgian)"),
        max_length=200,
        blank=True,
        help_text=_("As the subject of a sentence: “…ს მუნიციპალიტეტი”."),
    )
    municipality_genitive_ka = models.CharField(
        _("municipality, genitive (Georgian)"),
        max_length=200,
        blank=True,
        help_text=_("“Of the municipality”: “…ს მუნიციპალიტეტის”."),
    )
    municipality_locative_ka = models.CharField(
        _("municipality, “in” form (Georgian)"),
        max_length=200,
        blank=True,
        help_text=_("“In the municipality”: “…ს მუნიციპალიტეტში”."),
    )
    municipality_en = models.CharField(_("municipality (English)"), max_length=200, blank=True)
    place_ka = models.CharField(
        _("place name (Georgian)"),
        max_length=100,
        blank=True,
        help_text=_("The town or village the municipality is named after, as a subject."),
    )
    place_genitive_ka = models.CharField(
        _("place name, genitive (Georgian)"),
        max_length=100,
        blank=True,
        help_text=_("“Of the place”, as in the site's name (“… მოქალაქეთა უკუკავშირი”)."),
    )
    place_locative_ka = models.CharField(
        _("place name, “in” form (Georgian)"),
        max_length=100,
        blank=True,
        help_text=_("“In the place”: “…ში”."),
    )
    place_en = models.CharField(_("place name (English)"), max_length=100, blank=True)
    name_ka = models.CharField(_("name (Georgian)"), max_length=200, blank=True)
    name_genitive_ka = models.CharField(
        _("name, genitive (Georgian)"),
        max_length=200,
        blank=True,
        help_text=_("“Of City Hall”: “…ს მუნიციპალიტეტის მერიის”."),
    )
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    rules_url = models.URLField(
        _("rule document"),
        blank=True,
        help_text=_("Link to the municipality's rule on the citizens' feedback platform."),
    )
    address_ka = models.CharField(_("address (Georgian)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours_ka = models.CharField(_("opening hours (Georgian)"), max_length=200, blank=True)
    opening_hours_en = models.CharField(_("opening hours (English)"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("municipality_ka"),
                FieldPanel("municipality_genitive_ka"),
                FieldPanel("municipality_locative_ka"),
                FieldPanel("municipality_en"),
                FieldPanel("place_ka"),
                FieldPanel("place_genitive_ka"),
                FieldPanel("place_locative_ka"),
                FieldPanel("place_en"),
                FieldPanel("code"),
            ],
            heading=_("Municipality"),
        ),
        MultiFieldPanel(
            [FieldPanel("name_ka"), FieldPanel("name_genitive_ka"), FieldPanel("name_en")],
            heading=_("City Hall"),
        ),
        FieldPanel("rules_url"),
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
    def names(self) -> dict[str, str]:
        """Every form of the municipality's name in the active language."""
        from cms.core.municipality import names

        return names(self)

    @property
    def name(self) -> str:
        return self.names["city_hall"]

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


class RoleGrant(models.Model):
    """A permission that `ensure_roles` granted to a role's group, as code defines the role.

    The record is what lets a release take a permission back when it is removed from the role
    in code, while permissions that staff added in the Groups screen (never recorded here)
    stay. ``scope`` says where the permission sits: on the group itself, on the root page, or
    on the root collection.
    """

    class Scope(models.TextChoices):
        GROUP = "group", _("group")
        ROOT_PAGE = "root_page", _("root page")
        ROOT_COLLECTION = "root_collection", _("root collection")

    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="role_grants")
    permission = models.ForeignKey("auth.Permission", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.GROUP)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "permission", "scope"], name="unique_role_grant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.scope} {self.permission}"


class SmsMessage(models.Model):
    """One SMS the platform sends, its outbox row and its sent record (cms.core.sms).

    `key` names the message itself ("receipt:need:42"), so asking twice to send the same message
    makes one row; `idempotency_key` travels to the gateway with every attempt, so a retry after
    a timeout (the gateway may have sent it) is never delivered twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent")

    key = models.CharField(_("message key"), max_length=100, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    to = models.CharField(_("recipient"), max_length=16)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=30, db_index=True)
    segments = models.PositiveSmallIntegerField(_("SMS segments"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    gateway_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")

    def __str__(self) -> str:
        return f"{self.purpose} {self.key} ({self.status})"


class PageCacheEntry(models.Model):
    """The table of the `pages` cache (Django's database cache backend, cms.core.page_cache).

    A model only so that `migrate` creates the table on every machine and in tests (and test
    flushes empty it); rows are written and read by `DatabaseCache`, never through the ORM.
    The columns are those of Django's `createcachetable`.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "cms_page_cache"
        default_permissions = ()
        verbose_name = _("kept public page")
        verbose_name_plural = _("kept public pages")

    def __str__(self) -> str:
        return self.cache_key
