"""Template helpers for accessible form rendering."""

from typing import TYPE_CHECKING

from django import forms, template

if TYPE_CHECKING:
    from feedback_forms.models.submissions import Submission

register = template.Library()


@register.filter
def input_id(field: forms.BoundField) -> str:
    """The id of the first input of a field, for the error summary's links."""
    widget = field.field.widget
    if isinstance(widget, (forms.MultiWidget, forms.RadioSelect)):
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def is_grouped(field: forms.BoundField) -> bool:
    """Fields with several inputs get a fieldset and legend instead of a label."""
    return isinstance(field.field.widget, (forms.MultiWidget, forms.RadioSelect))


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def program_title(submission: "Submission") -> str:
    """The program's title in the reader's language (the English translation's title when it
    is published), else the title recorded when the resident submitted."""
    from cms.core.i18n import active_language, page_in_language

    program = getattr(submission, "program", None)
    if program is None:
        return getattr(submission, "program_title", "") or ""
    return page_in_language(program, active_language()).title
