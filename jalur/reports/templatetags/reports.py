"""Template filters for figures: a percentage that may be missing."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value) -> str:
    """12.5 -> "12,5%" (in the active language); None (nothing to divide by) -> "–"."""
    if value is None or value == "":
        return "–"
    return f"{number_format(value, 1)}%"
