"""Template filters for long staff lists."""

from functools import lru_cache

from django import template
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _labels(model, field_name: str, language: str | None) -> dict:
    field = model._meta.get_field(field_name)
    return {value: str(text) for value, text in field.flatchoices}


@register.filter
def label(obj, field_name: str) -> str:
    """`{{ row|label:"stage" }}`: what `row.get_stage_display` shows, from a table made once per
    field and language. Django's `get_FOO_display` rebuilds and hashes the whole choices table on
    every call, which on a page of 50 rows cost more than the page's own SQL."""
    value = getattr(obj, field_name)
    return _labels(type(obj), field_name, get_language()).get(value, value)
