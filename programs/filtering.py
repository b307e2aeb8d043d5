"""The public program filters: one form validates the query string for the HTML index, so a
hand-edited or stale shared URL gets a clear message instead of an error page."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programs.models import AdministrativeUnit, ProgramCategory, ProgramPage
from programs.querysets import ProgramPageQuerySet

FILTER_FIELDS = ("q", "category", "unit", "status", "year")


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, strip=True)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ProgramCategory.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All categories"),
        error_messages={"invalid_choice": _("This category does not exist.")},
    )
    unit = forms.ModelChoiceField(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All administrative units"),
        error_messages={"invalid_choice": _("This administrative unit does not exist.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ProgramPage.Status.choices],
        required=False,
        error_messages={"invalid_choice": _("This status does not exist.")},
    )
    year = forms.TypedChoiceField(
        label=_("Budget year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("There are no programs for this year.")},
    )

    def __init__(self, *args, programs: ProgramPageQuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year"))] + [
            (year, str(year)) for year in programs.budget_years()
        ]
        self.fields["category"].label_from_instance = lambda category: category.name
        self.fields["unit"].label_from_instance = lambda unit: unit.name

    def query_string_without_page(self) -> str:
        """The current filters as a query string, for pagination links that keep them."""
        query = QueryDict(mutable=True)
        if self.is_bound:
            for name in FILTER_FIELDS:
                value = self.data.get(name)
                if value:
                    query[name] = value
        return query.urlencode()

    def valid_filters(self) -> dict:
        """The cleaned values of the fields that validated; invalid ones are simply not
        applied (their error is shown to the visitor)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value not in (None, "") and name not in self.errors
        }


def search_program_ids(programs: ProgramPageQuerySet, query: str) -> list[int]:
    """Full-text search (Wagtail search) over title, summary and body; then prefix matches,
    because Georgian words are inflected ("პროგრამა", "პროგრამის")."""
    ids = [page.pk for page in programs.search(query, operator="and")]
    if not ids:
        ids = [page.pk for page in programs.autocomplete(query)]
    return ids


def filter_programs(programs: ProgramPageQuerySet, form: ProgramFilterForm) -> ProgramPageQuerySet:
    filters = form.valid_filters()
    if query := filters.get("q"):
        # Searched on the unfiltered set: the search backend only filters on indexed columns.
        programs = programs.filter(pk__in=search_program_ids(programs, query))
    if category := filters.get("category"):
        programs = programs.filter(category=category)
    if unit := filters.get("unit"):
        programs = programs.in_unit(unit)
    if status := filters.get("status"):
        programs = programs.filter(status=status)
    if year := filters.get("year"):
        programs = programs.filter(budget_year=year)
    return programs.order_by("title")
