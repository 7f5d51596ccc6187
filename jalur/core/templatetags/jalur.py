"""Template filters for Indonesian display: Rupiah, phone numbers, NIK masking, counts.

Tags that need an app live in that app: `has_cap` in accounts (a built-in of every template, see
settings.TEMPLATES), `reasons` in candidates (`{% load candidates %}`).
"""

from decimal import Decimal, InvalidOperation

from django import template

from jalur.core import text
from jalur.core.phone import format_phone

register = template.Library()


@register.filter
def years(value):
    """{{ n|years }}: "1 tahun" / "1 year", "3 years"; a dash when there is no number."""
    return "—" if value in (None, "") else text.years(value)


@register.filter
def months(value):
    """{{ n|months }}: "1 bulan" / "1 month", "24 months"; a dash when there is no number."""
    return "—" if value in (None, "") else text.months(value)


@register.filter
def rupiah(value):
    """1500000 -> 'Rp 1.500.000'."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return value
    # Rupiah is always written the Indonesian way, whatever the interface language.
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {abs(int(amount.quantize(Decimal(1)))):,}".replace(",", ".")


@register.filter
def phone(value):
    return format_phone(value)


@register.filter
def mask_nik(value):
    """Show only the region prefix and the last 4 digits: 3673••••••••0001."""
    if not value or len(value) != 16:
        return value
    return value[:4] + "•" * 8 + value[-4:]
