"""Comparing what people typed, and counts written out ("1 month", "2 months")."""

from django.utils.translation import ngettext


def same_words(a, b) -> bool:
    """The same words, whatever the spacing and capitals ("Operator  CNC" is "operator cnc")."""
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def years(n) -> str:
    """A number of years, singular or plural by the language ("1 tahun", "1 year", "2 years")."""
    return ngettext("%(n)s tahun", "%(n)s tahun", _count(n)) % {"n": n}


def months(n) -> str:
    """A number of months, singular or plural by the language."""
    return ngettext("%(n)s bulan", "%(n)s bulan", _count(n)) % {"n": n}


def _count(n) -> int:
    """ngettext picks the form from an integer; 1.5 years is plural, as is 0."""
    return int(n) if n is not None and n == int(n) else 2
