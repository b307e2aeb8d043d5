"""Staff enter a submission on a resident's behalf (phone call, visit, paper form).

The same form classes and intake as the public journey, so the rule's checks apply unchanged;
the channel and the staff member are recorded on the submission and in its audit log (who, which
channel, the reference: never the personal number). A service representative enters only for
the programs of their own service (and the municipality-wide needs forms); whoever sees every
service enters for all. Each staff member may store at most `FEEDBACK_STAFF_ENTRY_LIMIT`
submissions per window, counted from the stored rows, so a burst of invented evaluations is
refused. No time trap or honeypot: staff are signed in.
"""

import datetime
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from cms.core.typing import AuthenticatedRequest
from feedback_forms.eligibility import today_in_tbilisi
from feedback_forms.form_classes import form_class_for
from feedback_forms.forms import SystemQuestionsForm
from feedback_forms.intake import IntakeResult, submit
from feedback_forms.models import Channel, Evaluation, EvaluationFormPage, Need, NeedsFormPage
from feedback_forms.periods import period_bounds, period_for_date, previous_period
from feedback_forms.permissions import sees_every_service
from feedback_forms.pipeline import Attempt, Guard, Refusal, Route, Stored, run
from feedback_forms.protection import RateLimitResult

if TYPE_CHECKING:
    from programs.models import ProgramPage

ENTRY_PERMISSION = "feedback_forms.enter_on_behalf"
LOG_ENTERED = "feedback_forms.entered_on_behalf"
STAFF_CHANNELS = [(value, label) for value, label in Channel.choices if value != Channel.ONLINE]
#: (submissions, seconds): how many submissions one staff member may enter in a window.
DEFAULT_ENTRY_LIMIT = (30, 3600)


class ChannelForm(forms.Form):
    """How and when the resident reached City Hall. A paper form or a phone call noted on an
    earlier day keeps that day: it decides the reporting period and the time to answer."""

    channel = forms.ChoiceField(
        label=gettext_lazy("How did the resident reach us?"), choices=STAFF_CHANNELS
    )
    received_on = forms.DateField(
        label=gettext_lazy("Received on"),
        help_text=gettext_lazy(
            "The day the resident called, came in or handed in the paper form (today if left "
            "empty). A date in a half-year whose report was already sent is counted in the next "
            "report."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = today_in_tbilisi()

    def clean_received_on(self) -> datetime.date:
        today = today_in_tbilisi()
        received_on = self.cleaned_data["received_on"] or today
        if received_on > today:
            raise forms.ValidationError(
                _("The day it was received cannot be in the future."), code="future"
            )
        earliest = period_bounds(previous_period(period_for_date(today)))[0]
        if received_on < earliest:
            raise forms.ValidationError(
                _("Only submissions received since %(date)s can be entered.")
                % {"date": earliest.strftime("%d.%m.%Y")},
                code="too_old",
            )
        return received_on

    def received_on_or_today(self) -> datetime.date:
        """The day to validate the resident's answers against (today until the date is valid)."""
        if self.is_valid():
            return self.cleaned_data["received_on"]
        return today_in_tbilisi()


def require_entry_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(ENTRY_PERMISSION):
        raise PermissionDenied


def form_program(form_page: Page) -> "ProgramPage | None":
    """The program a form belongs to (its parent page), or None for a municipality-wide form."""
    return getattr(form_page.get_parent().specific, "canonical_program", None)


def may_enter_for(user: User, form_page: Page) -> bool:
    """Managers enter for every program; a representative for their own service's programs
    (and the municipality-wide needs forms, which belong to no service)."""
    if not user.has_perm(ENTRY_PERMISSION):
        return False
    program = form_program(form_page)
    if program is None or sees_every_service(user):
        return True
    service_id = program.responsible_service_id
    return service_id is not None and user.municipal_services.filter(pk=service_id).exists()


def entry_forms(user: User) -> list[Page]:
    """The Georgian (canonical) forms this staff member can fill in: needs forms first."""
    default = Locale.get_default()
    needs = NeedsFormPage.objects.live().filter(locale=default).order_by("path")
    evaluations = EvaluationFormPage.objects.live().filter(locale=default).order_by("path")
    return [page for page in [*needs, *evaluations] if may_enter_for(user, page)]


def entry_limit() -> tuple[int, int]:
    count, seconds = getattr(settings, "FEEDBACK_STAFF_ENTRY_LIMIT", DEFAULT_ENTRY_LIMIT)
    return int(count), int(seconds)


def entries_left(user: User) -> int:
    """How many more submissions this staff member may enter now (stored rows are counted)."""
    count, seconds = entry_limit()
    since = timezone.now() - datetime.timedelta(seconds=seconds)
    entered = sum(
        model.objects.filter(entered_by=user, created_at__gte=since).count()
        for model in (Need, Evaluation)
    )
    return max(count - entered, 0)


def staff_limit(user: User) -> RateLimitResult:
    """`Guard.RATE_LIMIT` for staff: the submissions this staff member stored in the window."""
    count, _seconds = entry_limit()
    left = entries_left(user)
    return RateLimitResult(allowed=left > 0, retry_after=0, count=count - left, limit=count)


def audit_entry(submission: Need | Evaluation, user: User, channel: str) -> None:
    """Who entered which submission through which channel; the person only as the reference."""
    log(
        instance=submission,
        action=LOG_ENTERED,
        user=user,
        data={"channel": channel, "reference": submission.reference},
    )


class StaffEntryIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "feedback_forms/admin/entry_index.html"
    page_title = gettext_lazy("Enter on a resident's behalf")
    header_icon = "form"
    request: AuthenticatedRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_entry_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forms"] = [
            (page, page.get_parent().specific) for page in entry_forms(self.request.user)
        ]
        return context


class StaffEntryFormView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "feedback_forms/admin/entry_form.html"
    header_icon = "form"
    request: AuthenticatedRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_entry_permission(request)
        page = Page.objects.live().filter(pk=kwargs["page_id"]).specific().first()
        if page is None or getattr(page, "form_kind", "") not in ("evaluation", "need"):
            raise Http404
        self.form_page = page.canonical_form
        if not request.user.is_authenticated or not may_enter_for(request.user, self.form_page):
            raise Http404  # another service's program is simply not there
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return _("Enter on a resident's behalf: %(form)s") % {
            "form": f"{self.form_page.get_parent().title} — {self.form_page.title}"
        }

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {
                "url": reverse("feedback_staff_entry:index"),
                "label": _("Enter on a resident's behalf"),
            },
            {"url": "", "label": self.form_page.title},
        ]

    limit_message = ""

    def render_form(
        self, form: SystemQuestionsForm, channel_form: ChannelForm, status: int = 200
    ) -> TemplateResponse:
        context = self.get_context_data(
            form=form,
            channel_form=channel_form,
            form_page=self.form_page,
            limit_message=self.limit_message,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(form_class_for(self.form_page)(page=self.form_page), ChannelForm())

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The intake pipeline's staff route: this staff member's limit, the forms, the store."""
        channel_form = ChannelForm(request.POST)
        forms_: list[SystemQuestionsForm] = []

        def validate() -> Mapping[str, Any]:
            form = form_class_for(self.form_page)(
                request.POST, page=self.form_page, submitted_on=channel_form.received_on_or_today()
            )
            forms_.append(form)
            valid = channel_form.is_valid() and form.is_valid()
            return {} if valid else {**channel_form.errors, **form.errors}

        def store(ran: Callable[[str], None]) -> IntakeResult:
            channel = channel_form.cleaned_data["channel"]
            with transaction.atomic():  # stored and audited, or neither
                result = submit(forms_[0], channel=channel, entered_by=request.user, ran=ran)
                if result.created:
                    audit_entry(result.submission, request.user, channel)
            return result

        answer = run(
            Attempt(
                route=Route.STAFF,
                data=request.POST,
                validate=validate,
                store=store,
                count=lambda attempt: staff_limit(request.user),
            )
        )
        if isinstance(answer, Refusal):
            if answer.guard is Guard.RATE_LIMIT:
                # Refused before validation: nothing is checked against lists or stored.
                count, seconds = entry_limit()
                self.limit_message = _(
                    "You have entered %(count)d submissions in the last %(minutes)d minutes, "
                    "the most one person may. Please try again later, or ask a platform manager."
                ) % {"count": count, "minutes": seconds // 60}
                unbound = form_class_for(self.form_page)(page=self.form_page)
                return self.render_form(unbound, ChannelForm(), status=429)
            if answer.guard is Guard.DUPLICATE:
                forms_[0].add_error(
                    None,
                    _("This person has already evaluated this program in this half of the year."),
                )
            return self.render_form(forms_[0], channel_form)
        if not isinstance(answer, Stored):
            raise RuntimeError("Staff entry always stores or refuses.")
        messages.success(
            request,
            _("Saved. Read the reference to the resident: %(reference)s")
            % {"reference": answer.result.submission.reference},
        )
        return redirect("feedback_staff_entry:form", page_id=self.form_page.pk)
