"""The data protection officer's screen for access and erasure requests (data_requests.py).

The person's identification is only ever posted, never put in a URL (URLs reach proxy logs
and error reports), and the answer is never stored by a browser or proxy.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.core import formatting, phones
from cms.core.personal_numbers import digest_personal_number
from feedback_forms.data_requests import (
    DATA_REQUESTS_PERMISSION,
    Found,
    Person,
    erase_contacts,
    erase_invitation_contacts,
    find_person,
    selected,
    submission_kind,
)
from feedback_forms.models import Evaluation, Need

TEMPLATE = "feedback_forms/admin/data_requests.html"


class PersonForm(forms.Form):
    personal_number = forms.CharField(
        label=gettext_lazy("Personal number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Mobile number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return phones.normalise_mobile(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(name) for name in self.fields):
            raise ValidationError(
                _("Give the personal number, the e-mail address or the mobile number.")
            )
        return data

    def person(self) -> Person:
        data = self.cleaned_data
        number = data.get("personal_number", "").strip()
        return Person(
            digest=digest_personal_number(number) if number else None,
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )

    def clean_personal_number(self) -> str:
        value = self.cleaned_data["personal_number"].strip()
        if value:
            digest_personal_number(value)  # the translated errors of the public forms
        return value


def row(submission: Evaluation | Need) -> dict[str, Any]:
    """One found submission as the table shows it (dates in Tbilisi, the phone as written)."""
    kind = submission_kind(submission)
    return {
        "submission": submission,
        "key": f"{kind}:{submission.pk}",
        "kind": capfirst(submission._meta.verbose_name),
        "inspect_url": reverse(
            f"wagtailsnippets_feedback_forms_{kind}:inspect", args=[submission.pk]
        ),
        "received": formatting.format_date(submission.created_at, short=True),
        "contacts": ", ".join(
            contact
            for contact in (
                submission.contact_email,
                phones.display(submission.contact_phone) if submission.contact_phone else "",
            )
            if contact
        ),
    }


class DataRequestView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Requests about personal data")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(DATA_REQUESTS_PERMISSION):
            context = {**self.get_context_data(), "forbidden": True}
            response: HttpResponseBase = TemplateResponse(request, TEMPLATE, context, status=403)
        else:
            response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)  # a person's submissions and contacts
        patch_cache_control(response, private=True)
        return response

    def render(self, form: PersonForm, found: Found | None = None, status: int = 200) -> Any:
        rows = [row(submission) for submission in (found.submissions if found else [])]
        context = {**self.get_context_data(), "form": form, "found": found, "rows": rows}
        return TemplateResponse(self.request, TEMPLATE, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(PersonForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PersonForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        person = form.person()
        found = find_person(person, by=request.user)
        if request.POST.get("action") == "erase":
            chosen = selected(found, request.POST.getlist("submission"))
            erased = erase_contacts(chosen, by=request.user)
            if request.POST.get("invitations") == "erase":
                erased += erase_invitation_contacts(found.invitations)
            if erased:
                messages.success(
                    request, _("Contact details erased from %(count)s records.") % {"count": erased}
                )
            else:
                messages.warning(
                    request, _("Nothing was erased: no record with contact details was chosen.")
                )
            # The rows found above were erased in place: the screen shows them as they are
            # now, and the look-up is not noted in their history a second time.
        return self.render(form, found)
