"""Audit-log messages filled in from the entry's data, for every app's log actions."""

from typing import TYPE_CHECKING, Any

from wagtail.log_actions import LogFormatter
from wagtail.models import BaseLogEntry

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TemplatedLogFormatter(LogFormatter):
    """`template % values(data)`, the data holding counts and codes only, never personal data.

    An entry whose data does not fit the template (an older entry, a changed wording) shows
    the plain `message` instead of breaking the history page.
    """

    template: "StrOrPromise" = ""

    def values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The template's placeholders from the entry's data (by default the data itself)."""
        return data

    def format_message(self, log_entry: BaseLogEntry) -> str:
        try:
            return str(self.template) % self.values(log_entry.data or {})
        except (TypeError, ValueError, KeyError):
            return str(self.message)
