"""The forms residents fill in, built by editors with Wagtail's form builder.

An evaluation form lives under its program page (so its URL is the program's URL plus
`evaluation/`); a needs form lives under the home page (municipality-wide) or a program. The
system questions the rule requires are added in code (feedback_forms.forms) and cannot be removed
by editors; the editor's questions follow them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from cms.core.i18n import canonical_page
from feedback_forms.builder import MUNICIPAL_FIELD_CHOICES, MunicipalFormBuilder, ascii_field_name


class MunicipalFormField(AbstractFormField):
    """An editor's question: stable ASCII name, municipal field types."""

    field_type = models.CharField(
        verbose_name=_("field type"), max_length=16, choices=MUNICIPAL_FIELD_CHOICES
    )
    field_type.required_on_save = True  # type: ignore[attr-defined]  # a flag Wagtail reads

    class Meta(AbstractFormField.Meta):
        abstract = True

    def get_field_clean_name(self) -> str:
        return ascii_field_name(self.label)


class FeedbackFormPage(RoutablePageMixin, AbstractForm):
    """Shared behaviour of the two form kinds; the journey lives in feedback_forms.views."""

    intro = models.TextField(_("introduction"), blank=True)
    what_happens_next = models.TextField(
        _("what happens next"),
        blank=True,
        help_text=_("Shown on the confirmation page, under the reference number."),
    )

    form_builder = MunicipalFormBuilder
    #: "evaluation" or "need": templates and the API read it without importing this module.
    form_kind = ""

    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Extra questions")),
        FieldPanel("what_happens_next"),
    ]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        """Wagtail's answer in one query instead of two (`cms.core.querysets`)."""
        from cms.core.querysets import view_restrictions

        return view_restrictions(self)

    @path("", name="questions")
    def questions(self, request):
        from feedback_forms.views import serve_form_page

        return serve_form_page(self, request)

    @path("done/<str:reference>/", name="confirmation")
    def confirmation(self, request, reference: str):
        from feedback_forms.tracking_views import confirmation

        return confirmation(request, self, reference)

    def serve_preview(self, request, mode_name):
        from feedback_forms.views import serve_form_page

        return serve_form_page(self, request, preview=True)

    def get_context(self, request, *args, **kwargs):
        from cms.core.privacy import privacy_notice_url

        context = super().get_context(request, *args, **kwargs)
        context["privacy_url"] = privacy_notice_url(self.locale)
        context["parent_page"] = self.get_parent().specific
        return context

    @property
    def canonical_form(self) -> "FeedbackFormPage":
        """The Georgian form: its settings apply and submissions point to it in any language."""
        kept = self.__dict__.get("_kept_canonical_form")
        return kept if kept is not None else canonical_page(self)

    def get_form_fields(self):
        kept = self.__dict__.get("_kept_form_fields")
        return kept if kept is not None else super().get_form_fields()

    def keep_for_request(self) -> None:
        """Read the questions and the Georgian form once: a submission builds, validates and
        stores its form from this one instance, which asked for them three times or more.
        Only for an instance that lives one request (never an editor's, which changes)."""
        self._kept_form_fields = list(super().get_form_fields())
        self._kept_canonical_form = canonical_page(self)

    def get_questions(self) -> dict[str, str]:
        """Field name -> label of the editor's questions, as asked now."""
        return {field.clean_name: field.label for field in self.get_form_fields()}


class EvaluationFormPage(FeedbackFormPage):
    """The evaluation form of one program (Art. 2.2, 3.2)."""

    requires_verification = models.BooleanField(
        _("only people on the beneficiary list may evaluate"),
        default=False,
        help_text=_("Needs the program's beneficiary list to be imported first."),
    )

    content_panels = [*FeedbackFormPage.content_panels, FieldPanel("requires_verification")]
    parent_page_types = ["programs.ProgramPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "feedback_forms/form_page.html"
    form_kind = "evaluation"

    class Meta:
        verbose_name = _("evaluation form")


class NeedsFormPage(FeedbackFormPage):
    """The form for recording a need or idea (Art. 2.3, 3.3)."""

    parent_page_types = ["home.HomePage", "programs.ProgramPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "feedback_forms/form_page.html"
    form_kind = "need"

    class Meta:
        verbose_name = _("needs form")


class EvaluationFormField(MunicipalFormField):
    page = ParentalKey(EvaluationFormPage, on_delete=models.CASCADE, related_name="form_fields")


class NeedsFormField(MunicipalFormField):
    page = ParentalKey(NeedsFormPage, on_delete=models.CASCADE, related_name="form_fields")
