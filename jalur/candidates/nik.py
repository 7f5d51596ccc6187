"""NIK (Nomor Induk Kependudukan): layout PP KK CC DDMMYY SSSS, women's day + 40.

See shared/domain/identity_and_phone.md §1. The first six digits name where the NIK was first
registered, not where the person lives.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class NikParts:
    region: str  # six digits
    day: int  # as printed (women + 40)
    month: int
    year2: int
    serial: str

    @property
    def is_female(self) -> bool:
        return self.day > 40

    @property
    def birth_day(self) -> int:
        return self.day - 40 if self.day > 40 else self.day


def nik_split(nik: str) -> NikParts:
    return NikParts(
        region=nik[:6],
        day=int(nik[6:8]),
        month=int(nik[8:10]),
        year2=int(nik[10:12]),
        serial=nik[12:],
    )


def nik_build(
    *, district_code: str, birth_date: datetime.date, female: bool, serial: int = 1
) -> str:
    """A NIK for a person first registered in `district_code` (dotted, e.g. 36.73.01)."""
    day = birth_date.day + (40 if female else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def nik_birth_date(nik: str, *, today: datetime.date) -> datetime.date | None:
    """The birth date a NIK encodes, or None if the digits do not make a date.

    The century is not encoded: a two-digit year after this year's means the 1900s.
    """
    parts = nik_split(nik)
    century = 1900 if parts.year2 > today.year % 100 else 2000
    try:
        return datetime.date(century + parts.year2, parts.month, parts.birth_day)
    except ValueError:
        return None
