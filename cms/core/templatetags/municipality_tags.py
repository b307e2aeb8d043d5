"""The municipality's name in templates, public pages and e-mails alike (cms.core.municipality).

`{% municipality as names %}` gives every grammatical form in the active language
(`names.municipality`, `names.municipality_in`, `names.city_hall`, ...); `{% site_name %}` the
platform's name. With a request in the context its site's settings are read (cached on the
request); without one (an e-mail rendered by a task) the default site's.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from cms.core.municipality import current_names, site_settings
from cms.core.municipality import site_name as platform_name

register = template.Library()


@register.simple_tag(takes_context=True)
def municipality(context: template.Context) -> dict[str, str]:
    return current_names(context.get("request"))


@register.simple_tag(takes_context=True)
def site_name(context: template.Context) -> str:
    """As `{% blocktranslate %}` would: the translated text as written, the names escaped."""
    source = site_settings(context.get("request"))
    return mark_safe(platform_name(source, escape=conditional_escape))  # noqa: S308
