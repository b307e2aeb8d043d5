"""Template filters over cms.core.formatting: the same numbers, money and dates on every page.

{% load values %}
{{ page.budget_amount|money }}          120 000 ₾
{{ report.mean|number:2 }}              3,90
{{ need.due_date|local_date }}          20 დეკემბერი 2026
{{ need.created_at|local_datetime }}    1 დეკემბერი 2026, 09:51 (Tbilisi)
{{ evaluation.verified|yes_no }}        დიახ
"""

from typing import Any

from django import template

from cms.core import formatting

register = template.Library()


@register.filter
def money(value: Any, decimals: int | None = None) -> str:
    return formatting.format_money(value, decimals)


@register.filter
def number(value: Any, decimals: int = 0) -> str:
    return formatting.format_number(value, int(decimals))


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    return formatting.format_percent(value, int(decimals))


@register.filter
def local_date(value: Any, style: str = "") -> str:
    return formatting.format_date(value, short=style == "short")


@register.filter
def local_datetime(value: Any, style: str = "") -> str:
    return formatting.format_datetime(value, short=style == "short")


@register.filter
def yes_no(value: Any) -> str:
    return formatting.format_bool(value)
