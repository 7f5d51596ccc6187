"""The reference numbers of SISKOP2MI, the national register Jalur links to: the ID PMI (given when
the person is registered in SISKOP2MI, before the visa) and the E-PMI number (the electronic
migrant-worker card, after the pre-departure orientation and biometrics). What a number must look
like to be recorded, and that the E-PMI is recorded before departure.

Neither KP2MI nor Perban 7/2023 or 27/2025 publishes the layout of these numbers, so the format
check is deliberately loose: it refuses what cannot be a reference number (a name, a date, a stray
word, a number of one or two characters, symbols) and accepts every number shaped as registers
write them, with or without separators.
"""

import re
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

MIN_CHARACTERS = 5  # letters and digits, separators not counted
MAX_CHARACTERS = 30
SEPARATORS = "-/."
_SHAPE = re.compile(r"[0-9A-Z](?:[0-9A-Z]|[-/.](?=[0-9A-Z]))*")


def reference_number_clean(value) -> str:
    """A number as it is stored: without spaces, upper case ("e-pmi 2026/01" -> "E-PMI2026/01")."""
    return re.sub(r"\s+", "", str(value or "")).upper()


@rule(
    title=gettext_lazy(
        "Nomor ID PMI dan E-PMI: huruf dan angka (boleh dipisah - / .), 5–30 karakter, paling "
        "sedikit satu angka"
    ),
    sources=(sources.SISKOP2MI, sources.E_PMI_CARD),
)
def reference_number_problem(*, label: str, value: str) -> str:
    """Why `value` (cleaned by `reference_number_clean`) cannot be an ID PMI or E-PMI number: it has
    other characters than letters, digits and single separators between them, fewer than 5 or more
    than 30 letters and digits, or no digit at all. "" when it can be one.

    The official layout is not published; this is the defensible check, loose on purpose (a real
    number is never refused): numbers as the demo and the registers write them ("PMI-3673-000001",
    "E-PMI/2026/000001", "3673012345678901") pass."""
    characters = sum(ch.isalnum() for ch in value)
    if (
        _SHAPE.fullmatch(value)
        and MIN_CHARACTERS <= characters <= MAX_CHARACTERS
        and any(ch.isdigit() for ch in value)
    ):
        return ""
    return _(
        "%(field)s %(number)s tidak dikenali. Tulis persis seperti di SISKOP2MI: huruf dan angka "
        "(boleh dipisah tanda - / .), %(min)d sampai %(max)d karakter, paling sedikit satu angka."
    ) % {"field": label, "number": value, "min": MIN_CHARACTERS, "max": MAX_CHARACTERS}


@rule(
    title=gettext_lazy("Nomor E-PMI tercatat sebelum berangkat"),
    sources=(sources.E_PMI_CARD, sources.SISKOP2MI),
)
def missing_before_departure(*, item: str, missing: Sequence[str]) -> str:
    """The ID PMI may be recorded (and accepted) as soon as SISKOP2MI gives it, before the E-PMI
    exists; the worker may not depart until the E-PMI number is recorded too. Returns what is
    missing of `item` in words ("" when nothing)."""
    if not missing:
        return ""
    return _(
        "%(item)s: %(fields)s belum dicatat. Nomor ini terbit setelah orientasi pra-pemberangkatan "
        "dan wajib ada sebelum berangkat."
    ) % {"item": item, "fields": ", ".join(missing)}
