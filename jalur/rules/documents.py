"""Document validity: how long the passport, the medical check, the visa and the other departure
documents must hold.

- A document is valid from its issue (or examination) date to its expiry date, and a document that
  has already expired cannot be recorded (UU 18/2017 Pasal 13: the documents a worker must have).
- Every document that expires (medical check, BPJS, visa, SKCK) must still be valid on the departure
  date.
- The passport must hold for the whole contract plus a margin after departure: the programme's rule,
  6 months by default. A city may ask for more months with `JALUR_PASSPORT_MARGIN_MONTHS`, never
  fewer.
- The medical and psychological checks must say the worker is fit (UU 18/2017 Pasal 5 huruf c and
  Pasal 13).

A passport number, an E-PMI number and an ID PMI belong to one person: the same number is never
recorded for a second worker. Two numbers are the same when their letters and digits are, whatever
the spaces, dashes, slashes and capitals ("e-pmi/2026/1" is "EPMI20261").

Months are calendar months: 31 January plus one month is 28 (or 29) February, 29 February plus
twelve months is 28 February.
"""

import calendar
import datetime
import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule

PASSPORT_MARGIN_MONTHS = 6


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months, on the same day of the month or, when that month is
    shorter, on its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def passport_margin_months() -> int:
    """The months the passport must outlast the contract: the programme's 6, or more where a city
    asks for more."""
    configured = getattr(settings, "JALUR_PASSPORT_MARGIN_MONTHS", PASSPORT_MARGIN_MONTHS)
    return max(PASSPORT_MARGIN_MONTHS, int(configured or 0))


@rule(
    title=gettext_lazy("Paspor berlaku selama kontrak ditambah 6 bulan sejak berangkat"),
    sources=(sources.DOCUMENTS, sources.PASSPORT_VALIDITY),
)
def passport_needed_until(departure: datetime.date, contract_months: int) -> datetime.date:
    """The first day the passport may expire: the departure date plus the contract's months plus the
    margin (`passport_margin_months`), in calendar months."""
    return add_months(departure, contract_months + passport_margin_months())


def _day(value: datetime.date) -> str:
    return value.strftime("%d-%m-%Y")


def passport_problem(
    *, departure: datetime.date, contract_months: int, valid_until: datetime.date | None
) -> str:
    """Why a passport valid until `valid_until` does not do for this departure; "" when it does."""
    needed = passport_needed_until(departure, contract_months)
    if valid_until is not None and valid_until >= needed:
        return ""
    return _(
        "Paspor berlaku sampai %(valid)s; harus berlaku sampai sedikitnya %(needed)s (lama kontrak + %(margin)d bulan)."
    ) % {
        "valid": _day(valid_until) if valid_until else "—",
        "needed": _day(needed),
        "margin": passport_margin_months(),
    }


@rule(
    title=gettext_lazy("Dokumen yang punya masa berlaku masih berlaku pada hari berangkat"),
    sources=(sources.DOCUMENTS,),
)
def valid_on_departure(
    *, label: str, valid_until: datetime.date | None, departure: datetime.date
) -> str:
    """Why a document (medical check, BPJS, visa, SKCK) that expires on `valid_until` does not hold
    on the departure date; "" when it does, or when it does not expire."""
    if valid_until is None or valid_until >= departure:
        return ""
    return _("%(item)s hanya berlaku sampai %(date)s, sebelum tanggal berangkat.") % {
        "item": label,
        "date": _day(valid_until),
    }


@rule(
    title=gettext_lazy("Masa berlaku dokumen: sesudah terbit, dan belum lewat saat dicatat"),
    sources=(sources.DOCUMENTS,),
)
def validity_problem(
    *,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    from_label: str,
    today: datetime.date,
) -> str:
    """Why a document's validity cannot be right when it is recorded: it ends on or before it starts
    (its issue or examination date, named `from_label`), or it has already ended. "" when it holds."""
    if valid_until is None:
        return ""
    if valid_from is not None and valid_until <= valid_from:
        return _("Tanggal berlaku harus sesudah %(field)s.") % {"field": from_label.lower()}
    if valid_until < today:
        return _("Dokumen ini sudah kedaluwarsa (berlaku sampai %(date)s).") % {
            "date": _day(valid_until)
        }
    return ""


@rule(
    title=gettext_lazy("Pemeriksaan kesehatan dan psikologi menyatakan pekerja memenuhi syarat"),
    sources=(sources.FIT_TO_WORK, sources.DOCUMENTS),
)
def examination_problem(*, label: str, fit: bool) -> str:
    """Why a medical or psychological check stops departure (its result is not fit); "" when fit."""
    return "" if fit else _("%(item)s: hasilnya tidak memenuhi syarat.") % {"item": label}


def identity_number_key(value) -> str:
    """A document number as it is compared: its letters and digits, upper case ("" when none)."""
    return re.sub(r"[^0-9A-Z]", "", str(value or "").upper())


@rule(
    title=gettext_lazy("Satu nomor paspor, E-PMI atau ID PMI hanya milik satu orang"),
    sources=(sources.DOCUMENTS,),
)
def identity_number_problem(*, label: str, number: str, held_by_another: bool) -> str:
    """Why `number` (a passport, E-PMI or ID PMI number) cannot be recorded for this worker: it is
    already another person's. "" when it is free or already this worker's."""
    if not held_by_another:
        return ""
    return _(
        "%(field)s %(number)s sudah tercatat untuk pekerja lain. Periksa lagi nomornya pada "
        "dokumen: satu nomor hanya milik satu orang. Bila nomornya memang benar, hubungi "
        "Disnakertrans."
    ) % {"field": label, "number": number}
