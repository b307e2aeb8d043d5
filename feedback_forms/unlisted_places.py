"""Places residents named because their village was not in the list (README, "Needs of places
not in the list"): staff review them and add a place to the reference data, which links every
need of that unit that named it to the new settlement.

The view only checks access and lays out the rows; the query is
`SubmissionQuerySet.unlisted_places` and adding is `add_settlement`.
"""

from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from feedback_forms.models import Need
from programs.models import AdministrativeUnit, Settlement

PERMISSION = "programs.add_settlement"
TEMPLATE = "feedback_forms/admin/unlisted_places.html"


class AddSettlementForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.all(), widget=forms.HiddenInput
    )
    named = forms.CharField(max_length=100, widget=forms.HiddenInput)
    name_ka = forms.CharField(label=gettext_lazy("name (Georgian)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("name (English)"), max_length=200)
    kind = forms.ChoiceField(
        label=gettext_lazy("kind"), choices=Settlement.Kind.choices, initial=Settlement.Kind.VILLAGE
    )


def add_settlement(
    unit: AdministrativeUnit, named: str, name_ka: str, name_en: str, kind: str
) -> tuple[Settlement, int]:
    """Create the settlement (or take the unit's existing one of that Georgian name) and link
    the needs that named the place. Returns the settlement and how many needs were linked; the
    name each resident typed stays on their need."""
    with transaction.atomic():
        settlement, _created = Settlement.objects.get_or_create(
            unit=unit, name_ka=name_ka.strip(), defaults={"name_en": name_en.strip(), "kind": kind}
        )
        linked = Need.objects.naming_place(unit.pk, named).update(settlement=settlement)
    return settlement, linked


class UnlistedPlacesView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Places not in the list")
    header_icon = "site"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(PERMISSION):
            return TemplateResponse(
                request,
                TEMPLATE,
                {**self.get_context_data(), "forbidden": True, "rows": []},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def rows(self) -> list[dict]:
        units = {unit.pk: unit for unit in AdministrativeUnit.objects.all()}
        rows: list[dict] = []
        for row in Need.objects.unlisted_places():
            unit = units[row["administrative_unit"]]
            form = AddSettlementForm(
                initial={"unit": unit.pk, "named": row["name"], "name_ka": row["name"]},
                prefix=f"p{len(rows)}",
            )
            rows.append({**row, "unit": unit, "form": form})
        return rows

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, TEMPLATE, {**self.get_context_data(), "rows": self.rows()})

    def post(self, request: HttpRequest) -> HttpResponse:
        prefix = request.POST.get("prefix", "")
        form = AddSettlementForm(request.POST, prefix=prefix)
        if not form.is_valid():
            rows = self.rows()
            for row in rows:
                if row["form"].prefix == prefix:
                    row["form"] = form
            messages.error(request, _("The settlement was not added. Correct the errors below."))
            context = {**self.get_context_data(), "rows": rows}
            return TemplateResponse(request, TEMPLATE, context, status=400)
        data = form.cleaned_data
        try:
            settlement, linked = add_settlement(
                data["unit"], data["named"], data["name_ka"], data["name_en"], data["kind"]
            )
        except IntegrityError:
            messages.error(request, _("The settlement was not added: the name is already taken."))
            return redirect("feedback_unlisted_places")
        messages.success(
            request,
            _("%(settlement)s was added to %(unit)s; %(count)s needs now name it.")
            % {"settlement": settlement.name, "unit": settlement.unit.name, "count": linked},
        )
        return redirect("feedback_unlisted_places")
