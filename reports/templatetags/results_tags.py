"""Template tags for public pages that show results (programs cannot import reports)."""

from typing import TYPE_CHECKING, Any

from django import template

from reports.publication import program_rating_summary as summary_for

if TYPE_CHECKING:
    from programs.models import ProgramPage

register = template.Library()


@register.simple_tag
def program_rating_summary(program_page: "ProgramPage") -> dict[str, Any] | None:
    """The program's k-anonymous rating in the latest published report, or None."""
    return summary_for(program_page)
