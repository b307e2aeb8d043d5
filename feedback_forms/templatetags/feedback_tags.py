"""Template helpers for accessible form rendering."""

from django import forms, template

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
