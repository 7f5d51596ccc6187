"""Template filters of the candidates app: `{% load candidates %}`."""

from django import template

from jalur.candidates.importing import reasons_text

register = template.Library()


@register.filter
def reasons(items) -> str:
    """Reasons joined into one sentence: "a; b; c." (see candidates.importing.reasons_text)."""
    return reasons_text(items or [])
