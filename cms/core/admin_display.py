"""Admin listings and inspect views show values in words (cms.core.formatting).

Wagtail's generic views print a model value as Python does: "True", "None", a UTC-looking
"05:47 a.m.", and its DateColumn writes every date relative to now ("0 minutes ago" for a due
date three weeks ahead). The mixins here are put in front of Wagtail's index and inspect views
by every viewset of the project, so a listing column made from a field name, and each row of an
inspect view, goes through `formatting.display()`.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from cms.core import formatting


class ReadableColumn(Column):
    """A column whose value is written for people: words, Tbilisi dates, the empty mark."""

    def get_value(self, instance: Any) -> Any:
        return formatting.display(super().get_value(instance))


class LocalDateColumn(Column):
    """A date or moment as a date in words ("20 დეკემბერი 2026"), never relative to now; with
    `with_time`, the Tbilisi time too."""

    def __init__(self, name: str, with_time: bool = False, **kwargs: Any) -> None:
        self.with_time = with_time
        super().__init__(name, **kwargs)

    def get_value(self, instance: Any) -> str:
        value = super().get_value(instance)
        if self.with_time and isinstance(value, datetime.datetime):
            return formatting.format_datetime(value)
        return formatting.format_date(value)


class DueDateColumn(Column):
    """The answer's due date, highlighted (and said) when it has passed unanswered."""

    cell_template_name = "cms/admin/due_date_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict:
        context = super().get_cell_context_data(instance, parent_context)
        due = super().get_value(instance)
        answered = getattr(instance, "answered_at", None) is not None
        context["value"] = formatting.format_date(due)
        context["overdue"] = bool(due and not answered and due < timezone.localdate())
        context["overdue_label"] = _("Overdue")
        return context


class ReadableIndexMixin:
    """Columns named by a field in `list_display` become `ReadableColumn`s."""

    def _get_custom_column(
        self, field_name: str, column_class: type = ReadableColumn, **kwargs: Any
    ) -> Any:
        if column_class is Column:
            column_class = ReadableColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)  # type: ignore[misc]  # a mixin of Wagtail's IndexView


class ReadableInspectMixin:
    """Each value of an inspect view goes through `formatting.display()`."""

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        return formatting.display(super().get_field_display_value(field_name, field))  # type: ignore[misc]  # a mixin of Wagtail's InspectView
