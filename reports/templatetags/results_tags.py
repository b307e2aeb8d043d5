"""Template tags for public pages that show results (programs cannot import reports)."""

from django import template

from reports.publication import program_rating_summary as summary_for

register = template.Library()


@register.simple_tag
def program_rating_summary(program_page):
    """The program's k-anonymous rating in the latest published report, or None."""
    return summary_for(program_page)
