"""Admin screens of the programs app: the taxonomy under one "Municipality" menu and a flat,
filterable listing of program pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from cms.core.admin_display import ReadableIndexMixin, ReadableInspectMixin
from programs.models import (
    AdministrativeUnit,
    MunicipalService,
    ProgramCategory,
    ProgramPage,
    Settlement,
)


class ReadableSnippetIndexView(ReadableIndexMixin, IndexView):
    """Booleans, dates and empty values in words (cms.core.admin_display)."""


class ReadableSnippetInspectView(ReadableInspectMixin, InspectView):
    pass


class ReferenceDataViewSet(SnippetViewSet):
    """Short tables staff search by code or name: the ORM's icontains finds "05" or part of a
    name, where the search index knew none of these columns (a search was a 500)."""

    search_backend_name = None
    index_view_class = ReadableSnippetIndexView
    inspect_view_class = ReadableSnippetInspectView


class ProgramCategoryViewSet(ReferenceDataViewSet):
    model = ProgramCategory
    icon = "tag"
    menu_label = _("Program categories")
    list_display = ["name_ka", "name_en", "slug", "sort_order"]
    search_fields = ["name_ka", "name_en", "slug"]


class MunicipalServiceViewSet(ReferenceDataViewSet):
    model = MunicipalService
    icon = "group"
    menu_label = _("City Hall services")
    list_display = ["name_ka", "name_en", "email", "phone"]
    search_fields = ["name_ka", "name_en", "slug"]


class AdministrativeUnitViewSet(ReferenceDataViewSet):
    model = AdministrativeUnit
    icon = "site"
    menu_label = _("Administrative units")
    list_display = ["code", "name_ka", "name_en"]
    search_fields = ["name_ka", "name_en", "code"]


class SettlementViewSet(ReferenceDataViewSet):
    model = Settlement
    icon = "home"
    menu_label = _("Settlements")
    list_display = ["name_ka", "name_en", "unit", "kind"]
    list_filter = ["unit", "kind"]
    search_fields = ["name_ka", "name_en"]


class MunicipalityViewSetGroup(SnippetViewSetGroup):
    """Reference data staff correct themselves (names change; see programs/data/)."""

    items = (
        ProgramCategoryViewSet,
        MunicipalServiceViewSet,
        AdministrativeUnitViewSet,
        SettlementViewSet,
    )
    menu_icon = "site"
    menu_label = _("Municipality")
    menu_name = "municipality"
    menu_order = 250


class ProgramPageListingViewSet(PageListingViewSet):
    """Every program in one flat list, with the same filters residents have."""

    model = ProgramPage
    icon = "list-ul"
    menu_label = _("Programs")
    name = "programs"
    menu_order = 150
    add_to_admin_menu = True
    list_display = [
        "title",
        "category",
        "responsible_service",
        "status",
        "budget_year",
        "locale",
        "latest_revision_created_at",
    ]
    list_filter = [
        "category",
        "responsible_service",
        "administrative_units",
        "status",
        "budget_year",
        "locale",
    ]


municipality_viewset_group = MunicipalityViewSetGroup()
program_listing_viewset = ProgramPageListingViewSet()
